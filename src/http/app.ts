import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { FeedCache } from '../feeds/cache.js';
import type { NormaliseJob } from '../jobs/normalise-job.js';
import type { Store } from '../store/store.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { withFeedFastPath } from './fast-path.js';
import { feedRoutes } from './routes/feeds.js';
import { opmlRoutes } from './routes/opml.js';
import { pageRoutes } from './routes/pages.js';
import { statusRoutes } from './routes/status.js';

export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly cache: FeedCache;
  readonly job: NormaliseJob;
  readonly log: Logger;
}

/** Builds the Express app; never listens (server.ts does), so tests drive it directly. */
export function createApp({ config, store, cache, job, log }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Feeds carry strong ETags computed once per rendering; Express must not hash bodies again per request.
  app.set('etag', false);
  app.use(feedRoutes(config, cache));
  app.use(statusRoutes(store, cache, job));
  app.use(opmlRoutes(config, cache));
  app.use(pageRoutes(config, store, cache));
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}

/** The server's request listener: the feed fast path in front of the Express app. */
export function createRequestListener(deps: AppDeps): RequestListener {
  return withFeedFastPath(deps.cache, createApp(deps));
}
