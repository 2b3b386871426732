import { createServer, type Server } from 'node:http';
import { createContext } from './app-context.js';
import { createRequestListener } from './http/app.js';
import { startScheduler } from './jobs/scheduler.js';
import { configFromEnvironment } from './load-env.js';
import { createLogger } from './observability/log.js';

const SHUTDOWN_GRACE_MS = 10_000;

const config = configFromEnvironment();
const log = createLogger(config.logLevel);
const context = createContext(config, { log });
const server: Server = createServer(createRequestListener({ ...context, log }));
server.listen(config.port, () => {
  log.info(
    { pid: process.pid, port: config.port, baseUrl: config.baseUrl, articlesDir: config.articlesDir },
    'feed publisher listening',
  );
});
// A web replica runs no job: it learns of the worker's commits through the store like any other process.
const scheduler = config.role === 'web' ? undefined : startScheduler(context.job, config.normaliseCron, log);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const forced = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  forced.unref();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  context.liveEdits?.stop();
  await (scheduler ? scheduler.stop() : context.job.stop());
  await closed;
  await context.store.close();
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
// `kill -HUP` asks for a pass now, without waiting for NORMALISE_CRON.
process.on('SIGHUP', () => void scheduler?.runNow());
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('unhandledRejection', (reason) => {
  log.fatal({ err: reason }, 'unhandled rejection; exiting so a supervisor restarts a clean process');
  process.exit(1);
});
