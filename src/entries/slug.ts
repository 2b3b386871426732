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

/**
 * Hands out unique slugs during one pass. The slugs stored under a base (`base` and `base-N`) are read once per
 * base (many bases in one read, for stores that batch), and each base remembers the last suffix it gave, so n
 * articles with one title cost n steps, not n².
 */
export class SlugAllocator {
  private readonly takenByBase = new Map<string, ReadonlySet<string>>();
  private readonly nextSuffix = new Map<string, number>();
  /** Slugs given out in this pass, whatever their base ("a-2" may be one base's suffix and another's base). */
  private readonly given = new Set<string>();

  constructor(
    private readonly readTaken: (bases: readonly string[]) => Promise<ReadonlyMap<string, Iterable<string>>>,
  ) {}

  /** Reads what the store holds under each base not read yet; allocate() needs its base prepared. */
  async prepare(bases: Iterable<string>): Promise<void> {
    const unread = [...new Set(bases)].filter((base) => !this.takenByBase.has(base));
    if (unread.length === 0) return;
    const taken = await this.readTaken(unread);
    for (const base of unread) this.takenByBase.set(base, new Set(taken.get(base) ?? []));
  }

  allocate(base: string): string {
    const stored = this.takenByBase.get(base);
    if (!stored) throw new Error(`slug base ${base} was not prepared`);
    const { slug, suffix } = uniqueSlug(
      base,
      (candidate) => stored.has(candidate) || this.given.has(candidate),
      this.nextSuffix.get(base),
    );
    this.nextSuffix.set(base, suffix + 1);
    this.given.add(slug);
    return slug;
  }
}
