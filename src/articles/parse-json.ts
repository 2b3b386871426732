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

/** Parses a `.json` article: the front-matter fields plus title, lead and body paragraphs. */
export function parseJsonArticle(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return reject(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
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
