import { XMLBuilder } from 'fast-xml-parser';
import type { PageLinks } from './feed-view.js';

// fast-xml-parser escapes &, <, >, " and ' in text and attributes every time, including an existing "&amp;"
// (unlike feed 6, whose xml-js turns "&amp;" back into "&" before escaping, so a literal "&amp;" reads as "&").
// eslint-disable-next-line @typescript-eslint/no-deprecated -- moving to its successor, fast-xml-builder, is a change of its own.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

/**
 * Serialises a document tree ({ tag: value, '@_attr': value, '#text': text }) with an XML declaration. No
 * `xml-stylesheet`: browsers opening a feed get its HTML preview, and Chromium warns about any page using XSLT.
 */
export function buildXml(root: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(root)}`;
}

/**
 * Atom link elements for self, the WebSub hub and the RFC 5005 paging relations (used by Atom and, as
 * atom:link, by RSS).
 */
export function atomLinks(
  self: string,
  paging: PageLinks | undefined,
  type: string,
  hub: string | undefined,
): Array<Record<string, string>> {
  const relations: Array<[string, string | undefined]> = [
    ['self', self],
    ['hub', hub],
    ['first', paging?.first],
    ['previous', paging?.previous],
    ['next', paging?.next],
    ['last', paging?.last],
  ];
  return relations.flatMap(([rel, href]): Array<Record<string, string>> => {
    if (!href) return [];
    return [rel === 'hub' ? { '@_rel': rel, '@_href': href } : { '@_rel': rel, '@_type': type, '@_href': href }];
  });
}
