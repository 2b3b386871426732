import { Router } from 'express';
import type { FeedCache } from '../../feeds/cache.js';
import type { NormaliseJob } from '../../jobs/normalise-job.js';
import type { Store } from '../../store/store.js';
import { methodNotAllowed } from '../errors.js';

// Error texts from the file system or the database may carry absolute paths; clients get none.
const ABSOLUTE_PATH = /(?:\/[^\s/'"():,]+)+\/?/g;
const redact = (message: string) => message.replace(ABSOLUTE_PATH, '<path>');

/** What keeps the service from publishing fresh feeds right now, in words. */
function problems(job: NormaliseJob): string[] {
  return job.lastError ? [`the last normalise pass failed at ${job.lastError.at}: ${redact(job.lastError.message)}`] : [];
}

/**
 * Liveness (/healthz: 200 while the process can answer, saying what is wrong), readiness (/readyz: 503 while
 * no feed can be served) and the last pass (/status: counts, rejected files relative to ARTICLES_DIR).
 */
export function statusRoutes(store: Store, cache: FeedCache, job: NormaliseJob): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/healthz', (_req, res) => {
    const found = [...problems(job), ...store.problems().map(redact)];
    res.json({ status: found.length === 0 ? 'ok' : 'degraded', problems: found });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      const lastPass = await store.lastPass();
      if (!lastPass) return void res.status(503).json({ ready: false, reason: 'no normalise pass has completed yet' });
      await cache.get({ kind: 'site' }, 'rss', { page: 1, limit: 1 });
      res.json({ ready: true });
    } catch (error) {
      res.status(503).json({ ready: false, reason: `feeds cannot be read: ${redact(error instanceof Error ? error.message : String(error))}` });
    }
  });
  router.get('/status', async (_req, res) => {
    const [lastPass, entries] = await Promise.all([store.lastPass(), store.countEntries({})]);
    res.json({
      running: job.isRunning,
      entries,
      lastPass: lastPass ?? null,
      lastError: job.lastError ? { at: job.lastError.at, message: redact(job.lastError.message) } : null,
      problems: problems(job),
    });
  });
  router.all(['/healthz', '/readyz', '/status'], methodNotAllowed);
  return router;
}
