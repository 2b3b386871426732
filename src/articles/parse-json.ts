import { z } from 'zod';
import { reject, type ParseResult } from './article.js';
import { describeIssue, metaFields, toMeta } from './meta.js';
import { parseCredit } from './photo-credit.js';

const text = z.string().trim().min(1, 'empty');

// Named as the raw layout names a missing part ("no lead: …"), rather than as a type error about undefined.
const REQUIRED_FIELDS = ['category', 'title', 'lead', 'body'] as const;

const jsonArticle = z.object({
  ...metaFields,
  category: text,
  title: text,
  lead: text,
  body: z
    .union([z.array(z.string()), z.string().transform((value) => value.split(/\n\s*\n/))])
    .transform((paragraphs) => paragraphs.map((paragraph) => paragraph.trim()).filter(Boolean))
    .refine((paragraphs) => paragraphs.length > 0, 'title but no body paragraphs'),
  credit: z.string().optional(),
});

// V8's messages that name a place hold only its own wording; the others ("Unexpected token 'x', "…" is not valid
// JSON") quote the file, and a reason is public on /status: it gives the rule and the place, never the text.
const V8_AT_POSITION = /^([\w ,'{}[\]-]+?(?: after JSON)?)(?: in JSON)? at position (\d+)/;

/** "line 3, column 7" of a character offset in `text`. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}`;
}

function jsonSyntaxReason(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const at = V8_AT_POSITION.exec(message);
  if (at?.[1] && at[2])
    return `not valid JSON: ${at[1].charAt(0).toLowerCase()}${at[1].slice(1)} at ${lineAndColumn(text, Number(at[2]))}`;
  if (message.startsWith('Unexpected end of JSON input'))
    return 'not valid JSON: it ends before a bracket, brace or quote is closed';
  return 'not valid JSON: an unexpected character where a value was due (a "string", a number, true, false, null, [ or {)';
}

/** Parses a `.json` article: the front-matter fields plus title, lead and body paragraphs. */
export function parseJsonArticle(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return reject(jsonSyntaxReason(text, error));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return reject('JSON article is not an object of fields');
  const given = data as Record<string, unknown>;
  const missing = REQUIRED_FIELDS.find((field) => given[field] === undefined || given[field] === null);
  if (missing) return reject(`no ${missing}: the JSON article has no "${missing}" field`);
  const parsed = jsonArticle.safeParse(data);
  if (!parsed.success) return reject(`JSON article ${describeIssue(parsed.error)}`);
  const { title, lead, body, credit, ...fields } = parsed.data;
  const meta = toMeta(fields);
  const photoCredit = credit === undefined ? undefined : parseCredit(credit);
  return {
    ok: true,
    article: {
      meta,
      category: fields.category,
      title,
      lead,
      paragraphs: body,
      ...(photoCredit ? { credit: photoCredit } : {}),
    },
  };
}
