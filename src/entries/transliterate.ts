// Serbian Cyrillic → Gaj's Latin alphabet, letter for letter (Љ, Њ, Џ become digraphs).
// Russian letters that Serbian lacks get their usual Serbian transcriptions, since news text quotes Russian names.
const LOWER: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj',
  м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č',
  џ: 'dž', ш: 'š', й: 'j', ё: 'jo', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'ju', я: 'ja', щ: 'šč', є: 'je', і: 'i', ї: 'ji',
};

const CYRILLIC_LETTER = /[\u0400-\u04FF]/gu;

function capitalise(latin: string, nextIsUpper: boolean): string {
  // A digraph at the start of an all-caps word stays all caps (ЉУБАВ → LJUBAV, Љубав → Ljubav).
  return nextIsUpper ? latin.toUpperCase() : latin.charAt(0).toUpperCase() + latin.slice(1);
}

/** Transliterates Serbian Cyrillic to Latin; Latin-script and other text passes through unchanged. */
export function cyrillicToLatin(text: string): string {
  return text.replace(CYRILLIC_LETTER, (letter, offset: number) => {
    const lower = letter.toLowerCase();
    const latin = LOWER[lower];
    if (latin === undefined) return letter;
    if (letter === lower) return latin;
    const next = text.charAt(offset + 1);
    return capitalise(latin, next !== '' && next !== next.toLowerCase());
  });
}
