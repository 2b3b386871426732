// Worker thread body: runs normalise passes on its own store connection, off the thread that serves requests.
import { parentPort } from 'node:worker_threads';
import type { Config } from '../config.js';
import { openStore } from '../store/open-store.js';
import { PassLockedError, type Store } from '../store/store.js';
import { ImageProbe } from './image-probe.js';
import { runNormalisePass } from './normalise-pass.js';
import { ListingPool } from './listing-pool.js';
import { ParsePool } from './parse-pool.js';
import type { PassWorkerReply, PassWorkerRequest } from './pass-runner.js';
import { lowerThisThreadPriority } from './ts-worker.js';

lowerThisThreadPriority(19);

let store: Store | undefined;
let imageProbe: ImageProbe | undefined;
// Kept for the life of this thread, so its parse workers start once rather than once per pass.
let parsePool: ParsePool | undefined;
let listingPool: ListingPool | undefined;
const reply = (message: PassWorkerReply) => parentPort?.postMessage(message);

async function handle(request: PassWorkerRequest, config: Config): Promise<void> {
  if (request.type === 'close') {
    await parsePool?.close();
    await listingPool?.close();
    await store?.close();
    parentPort?.close();
    return;
  }
  reply({ type: 'started' });
  try {
    store ??= openStore(config.databaseUrl);
    parsePool ??= new ParsePool(config.parseTimeoutMs);
    listingPool ??= new ListingPool();
    if (config.imageProbeTimeoutMs > 0)
      imageProbe ??= new ImageProbe({ timeoutMs: config.imageProbeTimeoutMs, allowedHosts: config.imageProbeHosts });
    const summary = await runNormalisePass({
      store,
      config,
      startedAt: new Date(request.at),
      ...(request.only ? { only: request.only } : {}),
      ...(imageProbe ? { imageProbe } : {}),
      parsePool,
      listingPool,
      onCommit: (result) => reply({ type: 'committed', result }),
    });
    reply({ type: 'done', summary });
  } catch (error) {
    if (error instanceof PassLockedError) return reply({ type: 'skipped' });
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

parentPort?.on('message', (request: PassWorkerRequest & { config: Config }) => void handle(request, request.config));
