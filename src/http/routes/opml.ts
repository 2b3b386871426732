import type { Router } from 'express';
import type { PublishedEdition } from '../../app-context.js';
import { renderOpml } from '../../feeds/opml.js';
import { methodNotAllowed } from '../errors.js';
import { strictRouter } from '../router.js';

/** /opml.xml: every feed of every edition in one file for a reader to import. */
export function opmlRoutes(editions: readonly PublishedEdition[], maxAgeSeconds: number): Router {
  const router = strictRouter();
  router.get('/opml.xml', async (_req, res) => {
    const listed = await Promise.all(
      editions.map(async ({ edition, cache }) => {
        const [categories, tags] = await Promise.all([cache.terms('category'), cache.terms('tag')]);
        return { edition, categories, tags };
      }),
    );
    res.set({ 'Content-Type': 'text/x-opml; charset=utf-8', 'Cache-Control': `public, max-age=${maxAgeSeconds}` }).send(renderOpml(listed));
  });
  router.all('/opml.xml', methodNotAllowed);
  return router;
}
