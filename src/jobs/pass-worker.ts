// Worker thread body: runs normalise passes on its own store connection, off the thread that serves requests.
import { parentPort } from 'node:worker_threads';
import type { Config } from '../config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { ImageProbe } from './image-probe.js';
import { runNormalisePass } from './normalise-pass.js';
import type { PassWorkerReply, PassWorkerRequest } from './pass-runner.js';
import { lowerThisThreadPriority } from './ts-worker.js';

lowerThisThreadPriority(19);

let store: Store | undefined;
let imageProbe: ImageProbe | undefined;
const reply = (message: PassWorkerReply) => parentPort?.postMessage(message);

async function handle(request: PassWorkerRequest, config: Config): Promise<void> {
  if (request.type === 'close') {
    await store?.close();
    parentPort?.close();
    return;
  }
  try {
    store ??= openStore(config.databaseUrl);
    if (config.imageProbeTimeoutMs > 0)
      imageProbe ??= new ImageProbe({ timeoutMs: config.imageProbeTimeoutMs, allowedHosts: config.imageProbeHosts });
    const summary = await runNormalisePass({
      store,
      config,
      startedAt: new Date(request.at),
      ...(imageProbe ? { imageProbe } : {}),
      onCommit: (result) => reply({ type: 'committed', result }),
    });
    reply({ type: 'done', summary });
  } catch (error) {
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

parentPort?.on('message', (request: PassWorkerRequest & { config: Config }) => void handle(request, request.config));
