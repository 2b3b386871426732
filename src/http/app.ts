import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type Express, type Request } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { AppContext } from '../app-context.js';
import { basePath } from '../feeds/urls.js';
import { errorHandler, methodNotAllowed, notFoundHandler } from './errors.js';
import { withPollerStats, withPollLimit } from './polite-polling.js';
import { withFeedFastPath } from './fast-path.js';
import { strictRouter, withTrailingSlash } from './router.js';
import { feedRoutes } from './routes/feeds.js';
import { opmlRoutes } from './routes/opml.js';
import { pageRoutes } from './routes/pages.js';
import { statusRoutes } from './routes/status.js';

// A caller's request id is reused only when it is short and plain, so it cannot forge log lines.
const REQUEST_ID = /^[\w.-]{1,64}$/;
// Enough to tell clients apart; a 16 KB User-Agent must not make every log line 16 KB.
const MAX_LOGGED_USER_AGENT = 200;

/**
 * The one line logged per request: no headers (they carry cookies and tokens, and were most of each line's bytes
 * under a request flood), no query string (it may carry a token too).
 */
function requestSummary(
  req: IncomingMessage & Partial<Pick<Request, 'originalUrl'>>,
  res: ServerResponse,
  durationMs: number,
) {
  const url = req.originalUrl ?? req.url ?? '';
  const bytes = Number(res.getHeader('content-length'));
  return {
    method: req.method,
    path: url.split('?', 1)[0],
    status: res.statusCode,
    ...(Number.isNaN(bytes) ? {} : { bytes }),
    durationMs,
    userAgent: req.headers['user-agent']?.slice(0, MAX_LOGGED_USER_AGENT),
  };
}

const isNotReadyAnswer = (req: IncomingMessage, res: ServerResponse) => req.url === '/readyz' && res.statusCode === 503;

export interface AppDeps extends AppContext {
  readonly log: Logger;
}

/** Builds the Express app; never listens (server.ts does), so tests drive it directly. */
export function createApp(deps: AppDeps): Express {
  const { config, store, editions, cache, job, liveEdits, metrics, log, deliveries } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Feeds, pages and OPML carry ETags computed once per rendering and the stylesheet one computed at start-up;
  // Express must not hash bodies again per request (status JSON is no-store, /metrics changes every scrape).
  app.set('etag', false);
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // Requests that reach Express are logged with a request id (echoed in X-Request-Id). Cached feed polls answered
  // by the fast path are counted in /metrics instead: a log line each would cost more than the response.
  app.use(
    pinoHttp({
      logger: log,
      quietReqLogger: true,
      quietResLogger: true,
      customSuccessObject: (req, res, fields: { responseTime: number }) =>
        requestSummary(req, res, fields.responseTime),
      genReqId: (req, res) => {
        const id =
          typeof req.headers['x-request-id'] === 'string' && REQUEST_ID.test(req.headers['x-request-id'])
            ? req.headers['x-request-id']
            : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // pino-http logs every 5xx as "request errored" with a made-up error; a "not ready yet" 503 is an answer.
      customErrorMessage: (req, res) => (isNotReadyAnswer(req, res) ? 'request completed' : 'request errored'),
      customErrorObject: (req, res, err, fields: { responseTime: number }) => {
        const summary = requestSummary(req, res, fields.responseTime);
        return isNotReadyAnswer(req, res) ? summary : { ...summary, err };
      },
    }),
  );
  app.use(statusRoutes(store, cache, job, liveEdits, basePath(config.baseUrl), deliveries));
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.all('/metrics', methodNotAllowed);
  app.use(opmlRoutes(editions));
  const allEditions = editions.map(({ edition }) => edition);
  const prefix = basePath(config.baseUrl);
  for (const { edition } of editions)
    if (edition.prefix)
      app.get(edition.prefix, (req, res) => res.redirect(301, `${prefix}${withTrailingSlash(req.originalUrl)}`));
  // The Latin edition ("/lat") first, so its paths are never taken for the primary edition's.
  for (const { edition, cache: editionCache } of [...editions].reverse()) {
    const router = strictRouter();
    router.use(feedRoutes(edition, editionCache));
    router.use(pageRoutes(edition, allEditions, store, editionCache));
    app.use(edition.prefix || '/', router);
  }
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}

/**
 * Serves the site at the path of BASE_URL (`https://example.org/feeds` → `/feeds/…`), where every link points:
 * the prefix is taken off and the rest is routed as if the site were at `/`. Everything lives under it, health
 * and metrics included, so a proxy can forward the path untouched; anything outside it is 404.
 */
function underBasePath(baseUrl: string, listener: RequestListener): RequestListener {
  const prefix = basePath(baseUrl);
  if (prefix === '') return listener;
  return (req, res) => {
    const url = req.url ?? '/';
    const rest = url.slice(prefix.length);
    if (!url.startsWith(prefix) || !(rest === '' || rest.startsWith('/') || rest.startsWith('?'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
      return;
    }
    if (!rest.startsWith('/')) {
      res.writeHead(301, { Location: withTrailingSlash(url), 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Moved permanently\n');
      return;
    }
    req.url = rest;
    listener(req, res);
  };
}

/** The server's request listener: the feed fast path in front of the Express app, at the path of BASE_URL. */
export function createRequestListener(deps: AppDeps): RequestListener {
  const { metrics, config } = deps;
  const served = withFeedFastPath(
    deps.editions,
    metrics.instrument(createApp(deps)),
    metrics.recordResponse.bind(metrics),
  );
  const limited = config.pollLimit
    ? withPollLimit(config.pollLimit, served, (url, status) => metrics.recordResponse(url, status, 0))
    : served;
  return underBasePath(config.baseUrl, withPollerStats(metrics.pollers, limited));
}
