import os from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// Under tsx (tests, `npm run dev`) this module, like the worker modules next to it, is still TypeScript.
const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * Starts a worker thread on `module`, named like every import in src/ by its compiled `.js` path. From dist/
 * that file exists and starts directly. From source it does not: on Node 20 a worker does not inherit the tsx
 * loader of the thread that started it, so the worker registers tsx itself, which maps `.js` to `.ts`.
 */
export function startWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!RUNNING_FROM_SOURCE) return new Worker(module, options);
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
