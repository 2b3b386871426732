import type { Request, Response, Router } from 'express';
import type { Edition } from '../../feeds/edition.js';
import type { FeedCache } from '../../feeds/cache.js';
import { FEED_FORMATS, FORMATS, type FeedFormat } from '../../feeds/formats.js';
import { parsePaging } from '../../feeds/paging.js';
import { TERM_FOLDERS, type FeedScope } from '../../feeds/urls.js';
import { badRequest, methodNotAllowed, notFound } from '../errors.js';
import { isBrowserNavigation } from '../navigation.js';
import { feedPreview } from '../pages/feed-preview.js';
import { strictRouter } from '../router.js';
import { serveFeed } from '../serve-feed.js';

/** Site-wide and per-category feeds in every format, with ?limit= and ?page=; browsers opening one get its preview. */
export function feedRoutes(edition: Edition, cache: FeedCache): Router {
  const { config } = edition;
  const preview = feedPreview(edition);
  const router = strictRouter();
  const serve = async (req: Request, res: Response, scope: FeedScope | undefined, format: FeedFormat) => {
    if (!scope) throw notFound('Unknown category or tag');
    const paging = parsePaging(req.query, config.feedLimit);
    if (!paging.ok) throw badRequest(paging.reason);
    const lookup = await cache.get(
      scope,
      format,
      paging.paging,
      isBrowserNavigation(req.headers) ? preview : undefined,
    );
    if (!lookup.found) throw notFound('No such page: past the last page of this feed');
    serveFeed(req, res, lookup.feed);
  };
  for (const format of FEED_FORMATS) {
    const file = FORMATS[format].file;
    router.get(`/${file}`, (req, res) => serve(req, res, { kind: 'site' }, format));
    for (const kind of ['category', 'tag'] as const)
      router.get(`/${TERM_FOLDERS[kind]}/:slug/${file}`, async (req: Request<{ slug: string }>, res) =>
        serve(req, res, await cache.termScope(kind, req.params.slug), format),
      );
    router.all(
      [`/${file}`, `/${TERM_FOLDERS.category}/:slug/${file}`, `/${TERM_FOLDERS.tag}/:slug/${file}`],
      methodNotAllowed,
    );
  }
  return router;
}
