// UTF-16 code units put U+E000–U+FFFF after the surrogates that encode code points above U+FFFF; code point order
// (which is UTF-8 byte order) puts them before.
const codePointRank = (unit: number) => (unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800);

/**
 * Orders paths by code point, which is UTF-8 byte order: the order in which SQLite (BINARY) and PostgreSQL
 * (COLLATE "C") return `ORDER BY path`, so that a folder walk and stored rows can be merged side by side.
 */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// Below U+D800 UTF-16 order is code point order, and the built-in comparison is much faster than comparePaths.
const BEYOND_PLAIN_ORDER = /[\uD800-\uFFFF]/;

/** Sorts items in place by their key, in path order (comparePaths); items that share a key end up adjacent. */
export function sortByKey<T extends { readonly key: string }>(items: T[]): T[] {
  const plain = items.every(({ key }) => !BEYOND_PLAIN_ORDER.test(key));
  return items.sort(
    plain ? (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : (a, b) => comparePaths(a.key, b.key),
  );
}
