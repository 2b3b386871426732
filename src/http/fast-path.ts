import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { PublishedEdition } from '../app-context.js';
import { isBrowserNavigation } from './navigation.js';
import { feedPreview } from './pages/feed-preview.js';
import { serveFeed } from './serve-feed.js';

// No feed, page or query of ours comes near this; longer request targets are probes or mistakes.
const MAX_URL_LENGTH = 2048;

/**
 * The request listener the server runs: a GET or HEAD for an already rendered default feed page (no query)
 * is answered straight from the cache; everything else, and every first request, goes through Express.
 * Express's per-request work (routing, req/res prototypes, query parsing) is most of the cost of a
 * cached feed poll, and such a poll needs none of it.
 */
export function withFeedFastPath(
  editions: readonly PublishedEdition[],
  app: RequestListener,
  onServed: (url: string, status: number, bytes: number) => void,
): RequestListener {
  // Longest prefix first: "/lat/rss.xml" belongs to the Latin edition, "/rss.xml" to the primary one.
  const byPrefix = [...editions]
    .sort((a, b) => b.edition.prefix.length - a.edition.prefix.length)
    .map((published) => ({ ...published, preview: feedPreview(published.edition) }));
  const readyFeed = (req: IncomingMessage, url: string) => {
    for (const { edition, cache, preview } of byPrefix)
      if (url.startsWith(`${edition.prefix}/`))
        return cache.readyFeed(
          url.slice(edition.prefix.length),
          isBrowserNavigation(req.headers) ? preview : undefined,
        );
    return undefined;
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    if ((req.url?.length ?? 0) > MAX_URL_LENGTH) {
      res.writeHead(414, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end('URI too long\n');
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const feed = req.url === undefined ? undefined : readyFeed(req, req.url);
      if (feed && req.url !== undefined) {
        const { status, bytes } = serveFeed(req, res, feed);
        onServed(req.url, status, bytes);
        return;
      }
    }
    app(req, res);
  };
}
