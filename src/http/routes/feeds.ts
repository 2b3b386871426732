import { Router, type Request, type Response } from 'express';
import type { FeedCache, RenderedFeed } from '../../feeds/cache.js';
import { FEED_FORMATS, FORMATS, type FeedFormat } from '../../feeds/formats.js';
import type { FeedScope } from '../../feeds/urls.js';
import { isNotModified } from '../conditional-get.js';
import { notFound } from '../errors.js';

export interface FeedRouteOptions {
  readonly cache: FeedCache;
  readonly maxAgeSeconds: number;
}

function sendFeed(req: Request, res: Response, feed: RenderedFeed, maxAgeSeconds: number): void {
  res.set({
    'Content-Type': feed.contentType,
    'Content-Length': String(feed.body.length),
    ETag: feed.etag,
    'Last-Modified': feed.lastModified.toUTCString(),
    'Cache-Control': `public, max-age=${maxAgeSeconds}, stale-while-revalidate=${maxAgeSeconds}`,
    'Access-Control-Allow-Origin': '*',
    Vary: 'Accept-Encoding',
  });
  if (isNotModified(req, feed.etag, feed.lastModified)) res.status(304).end();
  else res.status(200).end(feed.body);
}

/** Site-wide and per-category feeds in every format. */
export function feedRoutes({ cache, maxAgeSeconds }: FeedRouteOptions): Router {
  const router = Router();
  const serve = async (req: Request, res: Response, scope: FeedScope | undefined, format: FeedFormat) => {
    if (!scope) throw notFound('Unknown category');
    sendFeed(req, res, await cache.get(scope, format), maxAgeSeconds);
  };
  for (const format of FEED_FORMATS) {
    const file = FORMATS[format].file;
    router.get(`/${file}`, (req, res) => serve(req, res, { kind: 'site' }, format));
    router.get(`/categories/:slug/${file}`, async (req: Request<{ slug: string }>, res) =>
      serve(req, res, await cache.categoryScope(req.params.slug), format),
    );
  }
  return router;
}
