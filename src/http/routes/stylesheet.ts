import fs from 'node:fs';
import type { Router } from 'express';
import { STYLESHEET_PATH } from '../../feeds/build.js';
import { BROWSER_VIEW_HEADERS, strongEtag } from '../../feeds/variants.js';
import { methodNotAllowed } from '../errors.js';
import { strictRouter } from '../router.js';

const STYLESHEET = fs.readFileSync(new URL('../../../public/feed.xsl', import.meta.url));
// Hashed once: the file cannot change while the process runs.
const STYLESHEET_ETAG = strongEtag(STYLESHEET);

/** The XSL stylesheet named by every RSS and Atom feed, so a person opening a feed URL sees a page. */
export function stylesheetRoutes(maxAgeSeconds: number): Router {
  const router = strictRouter();
  router.get(STYLESHEET_PATH, (req, res) => {
    res.set({
      'Content-Type': 'text/xsl; charset=utf-8',
      'Cache-Control': `public, max-age=${maxAgeSeconds}`,
      ETag: STYLESHEET_ETAG,
      ...BROWSER_VIEW_HEADERS,
    });
    // req.fresh compares If-None-Match with the ETag just set (RFC 9110 weak comparison).
    if (req.fresh) return void res.status(304).end();
    res.send(STYLESHEET);
  });
  router.all(STYLESHEET_PATH, methodNotAllowed);
  return router;
}
