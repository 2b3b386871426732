import { cyrillicToLatin } from './transliterate.js';

const MAX_SLUG_LENGTH = 80;

// Letters with diacritics that Unicode decomposition does not take apart.
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  đ: 'dj',
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ł: 'l',
  þ: 'th',
};

/** URL slug: Serbian Cyrillic transliterated to Latin, folded to lowercase ASCII words joined by "-". */
export function slugify(text: string, fallback = 'article'): string {
  const ascii = cyrillicToLatin(text)
    .toLowerCase()
    .replace(/[đßæøœłþ]/gu, (letter) => UNDECOMPOSABLE[letter] ?? letter)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
  const words = ascii.split(/[^a-z0-9]+/).filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > MAX_SLUG_LENGTH) break;
    slug = next;
  }
  return slug || words[0]?.slice(0, MAX_SLUG_LENGTH) || fallback;
}

/** First of `base`, `base-2`, `base-3`… (from suffix `from` on) that `isTaken` does not claim, with its suffix. */
export function uniqueSlug(
  base: string,
  isTaken: (slug: string) => boolean,
  from = 2,
): { slug: string; suffix: number } {
  if (from <= 2 && !isTaken(base)) return { slug: base, suffix: 1 };
  for (let suffix = Math.max(from, 2); ; suffix += 1) {
    const candidate = `${base}-${suffix}`;
    if (!isTaken(candidate)) return { slug: candidate, suffix };
  }
}

/** Bases a pass keeps in memory; older ones are read from the store again should they come back. */
const CACHED_BASES = 10_000;

/** The bases whose slugs `slug` is among: itself, and each part before a "-" ("a-b-2": "a", "a-b", "a-b-2"). */
function basesOf(slug: string): string[] {
  const bases = [slug];
  for (let dash = slug.indexOf('-'); dash > 0; dash = slug.indexOf('-', dash + 1)) bases.push(slug.slice(0, dash));
  return bases;
}

/**
 * Hands out unique slugs during one pass. The slugs stored under a base (`base` and `base-N`) are read once per
 * base (many bases in one read, for stores that batch), and each base remembers the last suffix it gave, so n
 * articles with one title cost n steps, not n². Only the CACHED_BASES most recently used bases are kept, so a
 * pass over a million new articles does not hold a million slugs: a store's writes are visible to its reads by
 * the time a base is read again (SQLite writes at once; PostgreSQL allocates a batch after the previous is sent).
 */
export class SlugAllocator {
  private readonly bases = new Map<string, { readonly taken: Set<string>; next: number }>();

  constructor(
    private readonly readTaken: (bases: readonly string[]) => Promise<ReadonlyMap<string, Iterable<string>>>,
  ) {}

  /** Reads what the store holds under each base not in memory; allocate() needs its base prepared. */
  async prepare(bases: Iterable<string>): Promise<void> {
    const unread = [...new Set(bases)].filter((base) => !this.bases.has(base));
    if (unread.length === 0) return;
    const taken = await this.readTaken(unread);
    for (const base of unread) this.bases.set(base, { taken: new Set(taken.get(base) ?? []), next: 2 });
    // The oldest first; a batch's own bases are the newest, and a batch is far smaller than the cache.
    for (const base of this.bases.keys()) {
      if (this.bases.size <= Math.max(CACHED_BASES, unread.length)) break;
      this.bases.delete(base);
    }
  }

  allocate(base: string): string {
    const cached = this.bases.get(base);
    if (!cached) throw new Error(`slug base ${base} was not prepared`);
    // Most recently used last, so that a title that keeps coming back stays.
    this.bases.delete(base);
    this.bases.set(base, cached);
    const { slug, suffix } = uniqueSlug(base, (candidate) => cached.taken.has(candidate), cached.next);
    cached.next = suffix + 1;
    // "vest-2" is taken under "vest" and also under a base "vest-2", should another title slugify to that.
    for (const other of basesOf(slug)) this.bases.get(other)?.taken.add(slug);
    return slug;
  }
}
