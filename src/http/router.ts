import { Router } from 'express';

/**
 * Every router of the service: one URL per document, so `/RSS.xml` and `/rss.xml/` are 404 rather than second
 * addresses of `/rss.xml` that caches, pollers and WebSub subscribers would treat as other feeds.
 */
export const strictRouter = (): Router => Router({ caseSensitive: true, strict: true });

/**
 * A folder's address with its trailing slash, the query kept: `/lat?a=1` → `/lat/?a=1`. Each edition's front page
 * (and the site's, under a BASE_URL path) is linked with the slash; the address without it redirects there.
 */
export function withTrailingSlash(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? `${url}/` : `${url.slice(0, query)}/${url.slice(query)}`;
}
