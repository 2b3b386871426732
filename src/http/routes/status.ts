import { Router } from 'express';
import type { NormaliseJob } from '../../jobs/normalise-job.js';
import type { Store } from '../../store/store.js';

/** Liveness and the last normalise pass (counts and rejected files, paths relative to ARTICLES_DIR). */
export function statusRoutes(store: Store, job: NormaliseJob): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/status', async (_req, res) => {
    const [lastPass, entries] = await Promise.all([store.lastPass(), store.countEntries({})]);
    res.set('Cache-Control', 'no-store').json({
      running: job.isRunning,
      entries,
      lastPass: lastPass ?? null,
      lastError: job.lastError ?? null,
    });
  });
  return router;
}
