import type { Article } from './article.js';

// Far above what any real article holds, low enough that one hostile file cannot make every feed, page and pass
// that carries it huge or slow. Lengths count Unicode characters (code points) as written.
export const LIMITS = {
  id: 500,
  title: 1000,
  lead: 5000,
  category: 100,
  author: 200,
  tags: 50,
  tag: 100,
  url: 2048,
  mimeType: 100,
  credit: 500,
  paragraphs: 10_000,
  paragraph: 50_000,
} as const;

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

const characterCount = (text: string) => text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);

function tooLong(field: string, text: string | undefined, limit: number): string | undefined {
  if (text === undefined) return undefined;
  const length = characterCount(text);
  return length > limit ? `${field} is ${length} characters long, over the limit of ${limit}` : undefined;
}

function tooMany(field: string, count: number, what: string, limit: number): string | undefined {
  return count > limit ? `${field} has ${count} ${what}, over the limit of ${limit}` : undefined;
}

/** Why an article is too big to publish (naming the field and its limit), or undefined when it is within every limit. */
export function exceededLimit(article: Article): string | undefined {
  const { meta } = article;
  return (
    tooLong('id', meta.id, LIMITS.id) ??
    tooLong('title', article.title, LIMITS.title) ??
    tooLong('lead', article.lead, LIMITS.lead) ??
    tooLong('category', article.category, LIMITS.category) ??
    tooLong('author', meta.author, LIMITS.author) ??
    tooMany('tags', meta.tags.length, 'tags', LIMITS.tags) ??
    meta.tags.map((tag, index) => tooLong(`tags[${index}]`, tag, LIMITS.tag)).find(Boolean) ??
    tooLong('url', meta.url, LIMITS.url) ??
    tooLong('image', meta.image, LIMITS.url) ??
    tooLong('image_type', meta.imageType, LIMITS.mimeType) ??
    tooLong('audio.url', meta.audio?.url, LIMITS.url) ??
    tooLong('audio.type', meta.audio?.type, LIMITS.mimeType) ??
    tooLong('credit', article.credit && `${article.credit.source} © ${article.credit.name}`, LIMITS.credit) ??
    tooMany('body', article.paragraphs.length, 'paragraphs', LIMITS.paragraphs) ??
    article.paragraphs
      .map((paragraph, index) => tooLong(`body paragraph ${index + 1}`, paragraph, LIMITS.paragraph))
      .find(Boolean)
  );
}
