// XML 1.0 §2.2 forbids C0 controls other than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF.
// Such characters are the only ones removed: everything else, markup-looking text included, is kept verbatim.
// eslint-disable-next-line no-control-regex -- matching those control characters is the point.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;
// Without the g flag, so test() keeps no lastIndex between calls.
const HAS_XML_FORBIDDEN = new RegExp(XML_FORBIDDEN.source, 'u');
// Any surrogate, paired or not: a scan by UTF-16 unit, several times faster than the exact (code point) one, which
// is left for text that has one (most articles have none).
// eslint-disable-next-line no-control-regex -- as above.
const MAY_HOLD_XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;
const holdsXmlForbidden = (text: string) => MAY_HOLD_XML_FORBIDDEN.test(text) && HAS_XML_FORBIDDEN.test(text);
const LINE_BREAKS = /[\t\n\r]+/g;

/** The first character of `text` that XML 1.0 forbids, as "U+XXXX", or undefined when there is none. */
export function firstXmlForbidden(text: string): string | undefined {
  const found = MAY_HOLD_XML_FORBIDDEN.test(text) ? HAS_XML_FORBIDDEN.exec(text)?.[0] : undefined;
  return found === undefined ? undefined : codePointLabel(found);
}

/** "U+0001", "U+FFFF": how reasons name a character that cannot be shown as itself. */
export function codePointLabel(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The documented cleaning every text field gets: NFC, CRLF/CR line ends as LF (what any XML parser would make
 * of them), XML-forbidden characters removed, trimmed.
 */
export function cleanText(text: string): string {
  const composed = text.normalize('NFC').replace(/\r\n?/g, '\n');
  return (holdsXmlForbidden(composed) ? composed.replace(XML_FORBIDDEN, '') : composed).trim();
}

/** cleanText for one-line fields (title, category, author): tabs and line breaks become spaces. */
export function cleanLine(text: string): string {
  return cleanText(text).replace(LINE_BREAKS, ' ');
}
