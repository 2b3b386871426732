// Worker thread body: analyses article files posted by ParsePool.
import { parentPort } from 'node:worker_threads';
import { analyseFile, type AnalysisInput } from './decide-file.js';
import { lowerThisThreadPriority } from './ts-worker.js';

lowerThisThreadPriority(19);

parentPort?.on('message', ({ id, input }: { id: number; input: AnalysisInput }) => {
  try {
    parentPort?.postMessage({ id, analysis: analyseFile(input) });
  } catch (error) {
    parentPort?.postMessage({ id, analysis: { ok: false, reason: `could not be parsed: ${String(error)}` } });
  }
});
