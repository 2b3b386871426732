import { z } from 'zod';
import type { ArticleMeta } from './article.js';
import { codePointLabel, firstXmlForbidden } from '../entries/clean-text.js';
import { parseStrictDate } from './dates.js';

const text = z.string().trim().min(1);
const date = () =>
  z.union([z.string(), z.date()]).transform((value, ctx) => {
    const parsed = parseStrictDate(value instanceof Date ? value.toISOString() : value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }
    return parsed.date;
  });

// WHATWG URL parsing quietly drops or percent-encodes controls and spaces, and a feed would carry the URL as
// written, so such a URL is rejected for the author to fix rather than published in a form they did not write.
// eslint-disable-next-line no-control-regex -- finding control characters is what this pattern is for
const URL_UNSAFE = /[\u0000-\u0020\u007F-\u009F]/u;

/** An absolute http(s) URL, exactly as written, that every feed format can carry. */
const publishableUrl = z.string().superRefine((value, ctx) => {
  const unsafe = URL_UNSAFE.exec(value)?.[0];
  const forbidden = unsafe === undefined ? firstXmlForbidden(value) : codePointLabel(unsafe);
  if (forbidden)
    ctx.addIssue({
      code: 'custom',
      message: `contains ${forbidden}; a URL cannot hold control characters, spaces or characters XML forbids (percent-encode them)`,
    });
  // WHATWG reads "http:host" as "http://host/"; as written it is no absolute URL, so the "//" is required.
  else if (!/^https?:\/\//i.test(value) || !URL.canParse(value))
    ctx.addIssue({ code: 'custom', message: 'must be an absolute http:// or https:// URL' });
});

// Minutes and seconds of 60 or more are typos (99:99:99 would be read as 111 hours); hours are capped at 999.
const DURATION = /^(?:\d{1,3}:)?[0-5]?\d:[0-5]\d$/;
const MAX_DURATION_SECONDS = 999 * 3600 + 59 * 60 + 59;

/** The fields front matter and JSON articles share; unknown keys are allowed and ignored. */
export const metaFields = {
  id: z.union([text, z.number().int().nonnegative()]).transform(String).optional(),
  url: publishableUrl.optional(),
  published: date().optional(),
  updated: date().optional(),
  author: text.optional(),
  category: text.optional(),
  tags: z
    .union([z.array(z.union([text, z.number()]).transform(String)), z.string()])
    .transform((value) =>
      (typeof value === 'string' ? value.split(',') : value).map((tag) => tag.trim()).filter(Boolean),
    )
    .default([]),
  image: publishableUrl.optional(),
  image_type: z
    .string()
    .regex(/^image\/[\w.+-]+$/, 'must be an image MIME type such as image/jpeg')
    .optional(),
  image_length: z.number().int().positive().optional(),
  audio: z
    .object({
      url: publishableUrl,
      type: z.string().regex(/^audio\/[\w.+-]+$/, 'must be an audio MIME type such as audio/mpeg'),
      length: z.number().int().positive(),
      duration: z.union([
        z.number().int().positive().max(MAX_DURATION_SECONDS),
        z
          .string()
          .regex(DURATION, 'must be seconds or [h:]mm:ss, with minutes and seconds under 60 and at most 999 hours'),
      ]),
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
  return typeof duration === 'number'
    ? duration
    : duration.split(':').reduce((total, part) => total * 60 + Number(part), 0);
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
  if (typeof data !== 'object' || Array.isArray(data))
    return { ok: false, reason: 'front matter is not a key: value mapping' };
  const parsed = metaSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `front matter ${describeIssue(parsed.error)}` };
  return { ok: true, meta: toMeta(parsed.data) };
}
