import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { AppContext } from '../app-context.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { withFeedFastPath } from './fast-path.js';
import { feedRoutes } from './routes/feeds.js';
import { opmlRoutes } from './routes/opml.js';
import { pageRoutes } from './routes/pages.js';
import { statusRoutes } from './routes/status.js';

export interface AppDeps extends AppContext {
  readonly log: Logger;
}

/** Builds the Express app; never listens (server.ts does), so tests drive it directly. */
export function createApp({ config, store, editions, cache, job, log }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Feeds carry strong ETags computed once per rendering; Express must not hash bodies again per request.
  app.set('etag', false);
  app.use(statusRoutes(store, cache, job));
  app.use(opmlRoutes(editions, config.cacheMaxAge));
  const allEditions = editions.map(({ edition }) => edition);
  // The Latin edition ("/lat") first, so its paths are never taken for the primary edition's.
  for (const { edition, cache: editionCache } of [...editions].reverse()) {
    const router = express.Router();
    router.use(feedRoutes(edition.config, editionCache));
    router.use(pageRoutes(edition, allEditions, store, editionCache));
    app.use(edition.prefix || '/', router);
  }
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}

/** The server's request listener: the feed fast path in front of the Express app. */
export function createRequestListener(deps: AppDeps): RequestListener {
  return withFeedFastPath(deps.editions, createApp(deps));
}
