import os from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread running a TypeScript module. The service runs its TypeScript through tsx, and on
 * Node 20 a worker does not inherit the loader hooks of the thread that started it, so the worker registers
 * tsx itself before importing the module.
 */
export function startTsWorker(module: URL, options: WorkerOptions = {}): Worker {
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * Lowers the calling thread's CPU priority. On Linux a thread's nice value is its own, so a worker that calls
 * this yields the core to the request thread whenever both want it. Where that is refused, nothing changes.
 */
export function lowerThisThreadPriority(nice: number): void {
  try {
    os.setPriority(nice);
  } catch {
    // Not permitted here: the thread simply competes on equal terms.
  }
}
