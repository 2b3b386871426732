import { z } from 'zod';
import type { ArticleMeta } from './article.js';
import { parseStrictDate } from './dates.js';

const text = z.string().trim().min(1);
const date = () =>
  z.union([z.string(), z.date()]).transform((value, ctx) => {
    const parsed = parseStrictDate(value instanceof Date ? value.toISOString() : value);
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: `unparseable date ${JSON.stringify(String(value))}` });
      return z.NEVER;
    }
    return parsed;
  });

/** The fields front matter and JSON articles share; unknown keys are allowed and ignored. */
export const metaFields = {
  id: z.union([text, z.number().int().nonnegative()]).transform(String).optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  published: date().optional(),
  updated: date().optional(),
  author: text.optional(),
  category: text.optional(),
  tags: z
    .union([z.array(z.union([text, z.number()]).transform(String)), z.string()])
    .transform((value) => (typeof value === 'string' ? value.split(',') : value).map((tag) => tag.trim()).filter(Boolean))
    .default([]),
  image: z.url({ protocol: /^https?$/ }).optional(),
  image_type: z.string().regex(/^image\/[\w.+-]+$/, 'must be an image MIME type such as image/jpeg').optional(),
  image_length: z.number().int().positive().optional(),
  audio: z
    .object({
      url: z.url({ protocol: /^https?$/ }),
      type: z.string().regex(/^audio\/[\w.+-]+$/, 'must be an audio MIME type such as audio/mpeg'),
      length: z.number().int().positive(),
      duration: z.union([z.number().int().positive(), z.string().regex(/^(\d+:)?\d{1,2}:\d{2}$/, 'must be seconds or [h:]mm:ss')]),
    })
    .optional(),
};

const metaSchema = z.object(metaFields);

/** Front-matter spelling (image_type) to ArticleMeta's (imageType). */
export function toMeta({ image_type, image_length, audio, ...rest }: z.infer<typeof metaSchema>): ArticleMeta {
  return {
    ...rest,
    ...(image_type ? { imageType: image_type } : {}),
    ...(image_length ? { imageLength: image_length } : {}),
    ...(audio ? { audio: { ...audio, duration: toSeconds(audio.duration) } } : {}),
  };
}

function toSeconds(duration: number | string): number {
  return typeof duration === 'number' ? duration : duration.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/** Describes the first problem of a failed validation as "field: message". */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const field = issue.path.join('.');
  return field ? `${field}: ${issue.message}` : issue.message;
}

/** Validates parsed front matter into ArticleMeta, or explains what is wrong. */
export function parseMeta(data: unknown): { ok: true; meta: ArticleMeta } | { ok: false; reason: string } {
  if (data === null || data === undefined) return { ok: true, meta: { tags: [] } };
  if (typeof data !== 'object' || Array.isArray(data)) return { ok: false, reason: 'front matter is not a key: value mapping' };
  const parsed = metaSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `front matter ${describeIssue(parsed.error)}` };
  return { ok: true, meta: toMeta(parsed.data) };
}
