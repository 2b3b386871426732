import type { Article, PhotoCredit } from '../articles/article.js';
import { cleanLine, cleanText, codePointLabel } from './clean-text.js';
import type { NormalisedEntry, Term } from './entry.js';
import { slugify } from './slug.js';

export interface NormaliseContext {
  /** Path of the article file relative to ARTICLES_DIR, with "/" separators. */
  readonly sourcePath: string;
  /** When the job first saw this file; the published date unless the article states one. */
  readonly firstSeen: string;
  /** When the job last saw the text change after first seeing it, if ever. */
  readonly lastChanged: string | undefined;
  readonly language: string;
  readonly defaultAuthor: string;
}

// Categories and tags repeat from article to article: their cleaning and transliteration are remembered, up to a
// bound (then forgotten all at once), since a first pass over a large archive makes a term for every article.
const KNOWN_TERMS_LIMIT = 10_000;
const knownTerms = new Map<string, Term>();

function term(name: string): Term {
  const known = knownTerms.get(name);
  if (known) return known;
  const clean = cleanLine(name);
  const made: Term = { name: clean, slug: slugify(clean, 'category') };
  if (knownTerms.size >= KNOWN_TERMS_LIMIT) knownTerms.clear();
  knownTerms.set(name, made);
  return made;
}

function uniqueTerms(names: readonly string[]): Term[] {
  const bySlug = new Map<string, Term>();
  for (const name of names) {
    const candidate = term(name);
    if (candidate.name && !bySlug.has(candidate.slug)) bySlug.set(candidate.slug, candidate);
  }
  return [...bySlug.values()];
}

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

function imageDetails(url: string, meta: Article['meta']): { imageType?: string; imageLength?: number } {
  const extension = new URL(url).pathname.split('.').pop()?.toLowerCase() ?? '';
  const imageType = meta.imageType ?? IMAGE_TYPES[extension];
  return { ...(imageType ? { imageType } : {}), ...(meta.imageLength ? { imageLength: meta.imageLength } : {}) };
}

function cleanCredit(credit: PhotoCredit | undefined): PhotoCredit | undefined {
  if (!credit) return undefined;
  const cleaned = { source: cleanLine(credit.source), name: cleanLine(credit.name) };
  return cleaned.source || cleaned.name ? cleaned : undefined;
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

// The key goes out percent-encoded in every entry id, and a lone surrogate has no UTF-8 form to percent-encode.
function unpublishableKey(article: Article, sourcePath: string): string | undefined {
  const field = article.meta.id === undefined ? 'file name' : 'id';
  const surrogate = LONE_SURROGATE.exec(article.meta.id ?? sourcePath)?.[0];
  return (
    surrogate && `${field} contains a lone surrogate (${codePointLabel(surrogate)}), which no feed can carry as an id`
  );
}

export type NormaliseResult = { ok: true; entry: NormalisedEntry } | { ok: false; reason: string };

/** Article → entry: pure, no clock, same input same output. Fails when cleaning leaves no title or body, or the id cannot be published. */
export function normaliseArticle(article: Article, context: NormaliseContext): NormaliseResult {
  const title = cleanLine(article.title);
  const paragraphs = article.paragraphs.map(cleanText).filter(Boolean);
  if (!title) return { ok: false, reason: 'title is empty once control characters are removed' };
  if (!cleanText(article.lead)) return { ok: false, reason: 'lead is empty once control characters are removed' };
  if (!cleanLine(article.category))
    return { ok: false, reason: 'category is empty once control characters are removed' };
  if (paragraphs.length === 0) return { ok: false, reason: 'body is empty once control characters are removed' };
  const badKey = unpublishableKey(article, context.sourcePath);
  if (badKey) return { ok: false, reason: badKey };
  return { ok: true, entry: buildEntry(article, context, title, paragraphs) };
}

function buildEntry(article: Article, context: NormaliseContext, title: string, paragraphs: string[]): NormalisedEntry {
  const credit = cleanCredit(article.credit);
  const published = article.meta.published ?? context.firstSeen;
  const updated = article.meta.updated ?? context.lastChanged ?? published;
  const image = article.meta.image;
  return {
    key: article.meta.id ?? context.sourcePath,
    sourcePath: context.sourcePath,
    slugBase: slugify(title),
    title,
    summary: cleanText(article.lead),
    paragraphs,
    category: term(article.category),
    tags: uniqueTerms(article.meta.tags),
    author: article.meta.author ? cleanLine(article.meta.author) : context.defaultAuthor,
    ...(image ? { image, ...imageDetails(image, article.meta) } : {}),
    ...(credit ? { credit } : {}),
    ...(article.meta.url ? { externalUrl: article.meta.url } : {}),
    ...(article.meta.audio ? { audio: article.meta.audio } : {}),
    published,
    updated: updated < published ? published : updated,
    language: context.language,
  };
}
