import { cyrillicToLatin } from './transliterate.js';

const MAX_SLUG_LENGTH = 80;

// Letters with diacritics that Unicode decomposition does not take apart.
const UNDECOMPOSABLE: Readonly<Record<string, string>> = { đ: 'dj', ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l', þ: 'th' };

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

/** First of `base`, `base-2`, `base-3`… that `isTaken` does not claim. */
export function uniqueSlug(base: string, isTaken: (slug: string) => boolean): string {
  if (!isTaken(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${base}-${suffix}`;
    if (!isTaken(candidate)) return candidate;
  }
}
