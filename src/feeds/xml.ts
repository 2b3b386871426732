import { XMLBuilder } from 'fast-xml-parser';

// fast-xml-parser escapes &, <, >, " and ' in text and attributes every time, including an existing "&amp;"
// (unlike feed 6 / xmlbuilder2, which leave entity-looking text alone and so corrupt a literal "&amp;").
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

/** Serialises a document tree ({ tag: value, '@_attr': value, '#text': text }) with an XML declaration. */
export function buildXml(root: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(root) as string}`;
}
