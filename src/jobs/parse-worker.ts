// Worker thread body: analyses article files posted by ParsePool.
import { parentPort } from 'node:worker_threads';
import { analyseFile } from './decide-file.js';
import type { ParseWorkerReply, ParseWorkerRequest } from './parse-pool.js';
import { lowerThisThreadPriority } from './ts-worker.js';

lowerThisThreadPriority(19);

// Tests make this worker crash or hang on a file holding one of these markers, to see what the pool does then.
const CRASH_MARKER = process.env.FEED_TEST_CRASH_MARKER;
const HANG_MARKER = process.env.FEED_TEST_HANG_MARKER;

function faultInjectedByTest(bytes: Uint8Array): void {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (CRASH_MARKER && text.includes(CRASH_MARKER)) process.exit(70);
  if (HANG_MARKER && text.includes(HANG_MARKER)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

const reply = (message: ParseWorkerReply) => parentPort?.postMessage(message);

parentPort?.on('message', ({ id, input }: ParseWorkerRequest) => {
  faultInjectedByTest(input.bytes);
  try {
    reply({ type: 'analysed', id, analysis: analyseFile(input) });
  } catch (error) {
    reply({ type: 'analysed', id, analysis: { ok: false, reason: `could not be parsed: ${String(error)}` } });
  }
});
reply({ type: 'ready' });
