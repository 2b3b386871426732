import fs from 'node:fs';
import type { Router } from 'express';
import { STYLESHEET_PATH } from '../../feeds/build.js';
import { BROWSER_VIEW_HEADERS } from '../../feeds/variants.js';
import { methodNotAllowed } from '../errors.js';
import { strictRouter } from '../router.js';

const STYLESHEET = fs.readFileSync(new URL('../../../public/feed.xsl', import.meta.url));

/** The XSL stylesheet named by every RSS and Atom feed, so a person opening a feed URL sees a page. */
export function stylesheetRoutes(maxAgeSeconds: number): Router {
  const router = strictRouter();
  router.get(STYLESHEET_PATH, (_req, res) => {
    res
      .set({
        'Content-Type': 'text/xsl; charset=utf-8',
        'Cache-Control': `public, max-age=${maxAgeSeconds}`,
        ...BROWSER_VIEW_HEADERS,
      })
      .send(STYLESHEET);
  });
  router.all(STYLESHEET_PATH, methodNotAllowed);
  return router;
}
