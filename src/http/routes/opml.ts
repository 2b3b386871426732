import { Router } from 'express';
import type { Config } from '../../config.js';
import type { FeedCache } from '../../feeds/cache.js';
import { renderOpml } from '../../feeds/opml.js';
import { methodNotAllowed } from '../errors.js';

/** /opml.xml: every feed in one file for a reader to import. */
export function opmlRoutes(config: Config, cache: FeedCache): Router {
  const router = Router();
  router.get('/opml.xml', async (_req, res) => {
    const [categories, tags] = await Promise.all([cache.terms('category'), cache.terms('tag')]);
    res
      .set({ 'Content-Type': 'text/x-opml; charset=utf-8', 'Cache-Control': `public, max-age=${config.cacheMaxAge}` })
      .send(renderOpml(config, categories, tags));
  });
  router.all('/opml.xml', methodNotAllowed);
  return router;
}
