import fs from 'node:fs';
import { Router } from 'express';
import { STYLESHEET_PATH } from '../../feeds/build.js';
import { BROWSER_VIEW_HEADERS } from '../../feeds/variants.js';
import { methodNotAllowed } from '../errors.js';

const STYLESHEET = fs.readFileSync(new URL('../../../public/feed.xsl', import.meta.url));

/** The XSL stylesheet named by every RSS and Atom feed, so a person opening a feed URL sees a page. */
export function stylesheetRoutes(maxAgeSeconds: number): Router {
  const router = Router();
  router.get(STYLESHEET_PATH, (_req, res) => {
    res
      .set({ 'Content-Type': 'text/xsl; charset=utf-8', 'Cache-Control': `public, max-age=${maxAgeSeconds}`, ...BROWSER_VIEW_HEADERS })
      .send(STYLESHEET);
  });
  router.all(STYLESHEET_PATH, methodNotAllowed);
  return router;
}
