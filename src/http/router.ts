import { Router } from 'express';

/**
 * Every router of the service: one URL per document, so `/RSS.xml` and `/rss.xml/` are 404 rather than second
 * addresses of `/rss.xml` that caches, pollers and WebSub subscribers would treat as other feeds.
 */
export const strictRouter = (): Router => Router({ caseSensitive: true, strict: true });
