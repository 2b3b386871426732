import assert from 'node:assert/strict';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { decodeArticleBytes } from '../../src/articles/decode.js';

const TEXT = 'Србија\n\nЂоковић освојио турнир\n';

function decoded(bytes: Uint8Array): string {
  const result = decodeArticleBytes(bytes);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.text;
}

describe('decoding article bytes', () => {
  it('reads UTF-8 with and without a byte-order mark the same', () => {
    const plain = Buffer.from(TEXT, 'utf8');
    assert.equal(decoded(plain), TEXT);
    assert.equal(decoded(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain])), TEXT);
  });

  it('reads any valid UTF-8 as the text it encodes: ASCII, Cyrillic, and characters beyond the BMP', () => {
    // Well-formed text (lone surrogates made U+FFFD) without CR or NUL, in NFC: decoding has nothing to change in it.
    const article = fc
      .string({
        unit: fc.oneof(fc.constantFrom('ђ', 'Ж', 'š', '😀', '𝔸', '\uFFFD', '\u00A0'), fc.string({ unit: 'binary' })),
      })
      .map((text) =>
        Buffer.from(text.replace(/[\r\0]/g, ''))
          .toString()
          .normalize('NFC'),
      )
      .filter((text) => !/^[\uFEFF\uFFFE]/.test(text));
    fc.assert(fc.property(article, (text) => assert.equal(decoded(Buffer.from(text, 'utf8')), text)));
  });

  it('turns CRLF and lone CR line ends into LF', () => {
    assert.equal(decoded(Buffer.from(TEXT.replace(/\n/g, '\r\n'))), TEXT);
    assert.equal(decoded(Buffer.from(TEXT.replace(/\n/g, '\r'))), TEXT);
  });

  it('composes text to Unicode NFC', () => {
    const decomposed = 'Čačak, Ђоковић, й'.normalize('NFD');
    assert.notEqual(decomposed, 'Čačak, Ђоковић, й');
    assert.equal(decoded(Buffer.from(decomposed)), 'Čačak, Ђоковић, й');
  });

  it('falls back to Windows-1251 for legacy Serbian Cyrillic files', () => {
    const result = decodeArticleBytes(iconv.encode(TEXT, 'win1251'));
    assert.deepEqual(result, { ok: true, text: TEXT, encoding: 'windows-1251' });
  });

  it('rejects bytes that are neither UTF-8 nor Cyrillic Windows-1251', () => {
    const latin1 = iconv.encode('Ça coûte très cher, déjà été.', 'latin1');
    assert.deepEqual(decodeArticleBytes(latin1), {
      ok: false,
      reason: 'not valid UTF-8, and not Windows-1251 Cyrillic text either',
    });
  });

  it('rejects binary data', () => {
    const result = decodeArticleBytes(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]));
    assert.equal(result.ok, false);
  });
});
