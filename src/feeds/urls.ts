import { FORMATS, type FeedFormat } from './formats.js';

/** The two ways entries are grouped: each entry has one category and any number of tags. */
export type TermKind = 'category' | 'tag';

/** Which entries a feed lists: all of them, or those of one category or tag. */
export type FeedScope =
  { readonly kind: 'site' } | { readonly kind: TermKind; readonly slug: string; readonly name: string };

/** URL folder of each kind of term. */
export const TERM_FOLDERS: Readonly<Record<TermKind, string>> = { category: 'categories', tag: 'tags' };

function scopePath(scope: FeedScope): string {
  return scope.kind === 'site' ? '' : `/${TERM_FOLDERS[scope.kind]}/${scope.slug}`;
}

/** The path BASE_URL puts the site under ('' at the root, '/feeds' for https://example.org/feeds/). */
export function basePath(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, '');
}

/** Path of a feed document, without query. */
export function feedPath(scope: FeedScope, format: FeedFormat): string {
  return `${scopePath(scope)}/${FORMATS[format].file}`;
}

/** Absolute URL of a feed document (plus a paging query, if any). */
export function feedUrl(baseUrl: string, scope: FeedScope, format: FeedFormat, query = ''): string {
  return `${baseUrl}${feedPath(scope, format)}${query}`;
}

/** Every unpaged feed URL (all formats) of the site and of the categories and tags a commit changed. */
export function changedFeedUrls(
  baseUrl: string,
  changed: { categories: readonly string[]; tags: readonly string[] },
): string[] {
  const scopes: FeedScope[] = [
    { kind: 'site' },
    ...changed.categories.map((slug): FeedScope => ({ kind: 'category', slug, name: slug })),
    ...changed.tags.map((slug): FeedScope => ({ kind: 'tag', slug, name: slug })),
  ];
  return scopes.flatMap((scope) =>
    (Object.keys(FORMATS) as FeedFormat[]).map((format) => feedUrl(baseUrl, scope, format)),
  );
}

/** Absolute URL of the HTML page a feed mirrors. */
export function homeUrl(baseUrl: string, scope: FeedScope): string {
  return scope.kind === 'site' ? `${baseUrl}/` : `${baseUrl}${scopePath(scope)}`;
}

export function articleUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}/articles/${slug}`;
}

/** Absolute URL of a category's or tag's HTML page. */
export function termUrl(baseUrl: string, kind: TermKind, slug: string): string {
  return `${baseUrl}/${TERM_FOLDERS[kind]}/${slug}`;
}

// RFC 4151 allows unreserved, sub-delims, ":", "@", "/" and "?" in the specific part; percent-encode the rest.
function tagSpecific(text: string): string {
  return encodeURIComponent(text).replace(/%(2F|3A|40|3F)/g, (escape) => decodeURIComponent(escape));
}

/** `tag:` URI (RFC 4151) for an entry key: the same in RSS guid, Atom id and JSON Feed id, whatever the text. */
export function entryTagUri(tagAuthority: string, key: string): string {
  return `tag:${tagAuthority}:article/${tagSpecific(key)}`;
}

/** `tag:` URI of a feed document; the Latin edition's feeds are other documents, so `/lat` is part of it. */
export function feedTagUri(tagAuthority: string, scope: FeedScope, editionPrefix = ''): string {
  return `tag:${tagAuthority}:feed${editionPrefix}${scopePath(scope)}`;
}
