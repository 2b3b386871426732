// Serbian Cyrillic → Gaj's Latin alphabet, letter for letter (Љ, Њ, Џ become digraphs).
// Russian letters that Serbian lacks get their usual Serbian transcriptions, since news text quotes Russian names.
const LOWER: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  ђ: 'đ',
  е: 'e',
  ж: 'ž',
  з: 'z',
  и: 'i',
  ј: 'j',
  к: 'k',
  л: 'l',
  љ: 'lj',
  м: 'm',
  н: 'n',
  њ: 'nj',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  ћ: 'ć',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'c',
  ч: 'č',
  џ: 'dž',
  ш: 'š',
  й: 'j',
  ё: 'jo',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'ju',
  я: 'ja',
  щ: 'šč',
  є: 'je',
  і: 'i',
  ї: 'ji',
};

// Upper-case letters map to capitalised forms; a digraph in an all-caps word is fixed up below (ЉУБАВ → LJUBAV).
const TABLE = new Map<string, string>();
for (const [lower, latin] of Object.entries(LOWER)) {
  TABLE.set(lower, latin);
  TABLE.set(lower.toUpperCase(), latin.charAt(0).toUpperCase() + latin.slice(1));
}

const isUpper = (char: string | undefined) => char !== undefined && char !== char.toLowerCase();

/** Transliterates Serbian Cyrillic to Latin; Latin-script and other text passes through unchanged. */
export function cyrillicToLatin(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    const latin = TABLE.get(char);
    if (latin === undefined) out += char;
    else if (latin.length > 1 && isUpper(char) && isUpper(text[index + 1])) out += latin.toUpperCase();
    else out += latin;
  }
  return out;
}
