import type { Router } from 'express';
import type { PublishedEdition } from '../../app-context.js';
import { renderOpml } from '../../feeds/opml.js';
import { methodNotAllowed } from '../errors.js';
import { strictRouter } from '../router.js';
import { serveFeed } from '../serve-feed.js';

/** /opml.xml: every feed of every edition in one file for a reader to import. */
export function opmlRoutes(editions: readonly PublishedEdition[]): Router {
  const router = strictRouter();
  const [primary] = editions;
  router.get('/opml.xml', async (req, res) => {
    if (!primary) throw new Error('no edition to list');
    // Rendered once per store version, like the pages, and served with their validators and codings.
    const opml = await primary.cache.page('/opml.xml', 'text/x-opml; charset=utf-8', async () => {
      const listed = await Promise.all(
        editions.map(async ({ edition, cache }) => {
          const [categories, tags] = await Promise.all([cache.terms('category'), cache.terms('tag')]);
          return { edition, categories, tags };
        }),
      );
      return renderOpml(listed);
    });
    serveFeed(req, res, opml);
  });
  router.all('/opml.xml', methodNotAllowed);
  return router;
}
