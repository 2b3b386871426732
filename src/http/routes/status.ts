import type { Router } from 'express';
import type { FeedCache } from '../../feeds/cache.js';
import type { LiveEdits } from '../../jobs/live-edits.js';
import type { NormaliseJob } from '../../jobs/normalise-job.js';
import type { DeliveryStats } from '../../push/delivery-queue.js';
import type { Store } from '../../store/store.js';
import { pageCount, parsePaging } from '../../feeds/paging.js';
import { badRequest, methodNotAllowed, notFound } from '../errors.js';
import { redactPaths as redact } from '../redact.js';
import { strictRouter } from '../router.js';

const REJECTED_PER_PAGE = 100;

/** What keeps the service from publishing fresh feeds right now, in words. */
function problems(job: NormaliseJob, store: Store): string[] {
  return [
    ...store.problems().map(redact),
    ...(job.lastError
      ? [`the last normalise pass failed at ${job.lastError.at}: ${redact(job.lastError.message)}`]
      : []),
  ];
}

/**
 * Liveness (/healthz: 200 while the process can answer, saying what is wrong), readiness (/readyz: 503 while
 * no feed can be served) and the last pass (/status: counts, rejected files relative to ARTICLES_DIR).
 */
export function statusRoutes(
  store: Store,
  cache: FeedCache,
  job: NormaliseJob,
  liveEdits: LiveEdits | undefined,
  basePath: string,
  deliveries: Readonly<Record<string, () => DeliveryStats>>,
): Router {
  const router = strictRouter();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/healthz', (_req, res) => {
    const found = problems(job, store);
    res.json({ status: found.length === 0 ? 'ok' : 'degraded', problems: found });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      // A replica that lost its database keeps serving what it has, but a load balancer should drain it.
      const [lost] = store.problems();
      if (lost) return void res.status(503).json({ ready: false, reason: redact(lost) });
      const lastPass = await store.lastPass();
      if (!lastPass) return void res.status(503).json({ ready: false, reason: 'no normalise pass has completed yet' });
      await cache.get({ kind: 'site' }, 'rss', { page: 1, limit: 1 });
      res.json({ ready: true });
    } catch (error) {
      res.status(503).json({
        ready: false,
        reason: `feeds cannot be read: ${redact(error instanceof Error ? error.message : String(error))}`,
      });
    }
  });
  router.get('/status', async (_req, res) => {
    const [lastPass, entries] = await Promise.all([store.lastPass(), store.countEntries({})]);
    res.json({
      running: job.isRunning,
      entries,
      lastPass: lastPass ?? null,
      lastError: job.lastError ? { at: job.lastError.at, message: redact(job.lastError.message) } : null,
      // With several replicas, when this one last found another running the pass and left the tick to it.
      lastSkipped: job.lastSkipped ?? null,
      // Live edits between the scheduled passes, and the last full reconciliation of the folder.
      watching: liveEdits?.active ?? false,
      lastFullPass: job.lastFullPassAt ?? null,
      problems: problems(job, store),
      // WebSub pings and CDN purges after this process's commits: what was delivered, what failed and why.
      deliveries: Object.fromEntries(
        Object.entries(deliveries).map(([receiver, stats]) => {
          const { lastFailure, ...counts } = stats();
          return [
            receiver,
            { ...counts, lastFailure: lastFailure && { ...lastFailure, message: redact(lastFailure.message) } },
          ];
        }),
      ),
      // The pass summary lists the first LISTED_IN_SUMMARY rejected files; every one is on these pages.
      rejectedFiles: `${basePath}/status/rejected`,
    });
  });
  router.get('/status/rejected', async (req, res) => {
    const paging = parsePaging(req.query, REJECTED_PER_PAGE);
    if (!paging.ok) throw badRequest(paging.reason);
    const { page, limit } = paging.paging;
    const { total, files } = await store.listRejectedFiles(limit, (page - 1) * limit);
    if (page > pageCount(total, limit)) throw notFound('No such page: past the last page of rejected files');
    const next = page * limit < total ? `${basePath}/status/rejected?page=${page + 1}&limit=${limit}` : null;
    res.json({ total, page, limit, files, next });
  });
  router.all(['/healthz', '/readyz', '/status', '/status/rejected'], methodNotAllowed);
  return router;
}
