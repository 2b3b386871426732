import iconv from 'iconv-lite';

export type Decoded = { ok: true; text: string; encoding: 'utf-8' | 'windows-1251' } | { ok: false; reason: string };

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const CYRILLIC = /\p{Script=Cyrillic}/gu;
const LETTER = /\p{L}/gu;

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((byte, index) => bytes[index] === byte);
}

// Windows-1251 maps nearly every byte to some character, so "it decoded" proves nothing:
// accept it only when most letters come out Cyrillic, as Serbian text does.
function looksCyrillic(text: string): boolean {
  const letters = text.match(LETTER)?.length ?? 0;
  const cyrillic = text.match(CYRILLIC)?.length ?? 0;
  return letters > 0 && cyrillic / letters >= 0.5;
}

/** Decodes article bytes: UTF-8 (BOM optional), else Windows-1251 when that yields Cyrillic; line ends become LF, text NFC. */
export function decodeArticleBytes(bytes: Uint8Array): Decoded {
  const body = hasUtf8Bom(bytes) ? bytes.subarray(UTF8_BOM.length) : bytes;
  if (body.includes(0)) return { ok: false, reason: 'binary data (NUL bytes), not a text article' };
  let text: string;
  let encoding: 'utf-8' | 'windows-1251' = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = iconv.decode(Buffer.from(body), 'win1251');
    if (!looksCyrillic(text)) return { ok: false, reason: 'not valid UTF-8, and not Windows-1251 Cyrillic text either' };
    encoding = 'windows-1251';
  }
  return { ok: true, text: text.replace(/\r\n?/g, '\n').normalize('NFC'), encoding };
}
