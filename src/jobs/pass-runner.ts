import type { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { CommitResult, PassSummary } from '../store/store.js';
import { startWorker } from './ts-worker.js';

/** Runs one normalise pass somewhere; `onCommit` hears about the commit before the pass reports done. */
export interface PassRunner {
  run(startedAt: Date): Promise<PassSummary>;
  close(): Promise<void>;
}

export type PassWorkerRequest = { type: 'run'; at: string } | { type: 'close' };
export type PassWorkerReply =
  | { type: 'committed'; result: CommitResult }
  | { type: 'done'; summary: PassSummary }
  | { type: 'failed'; message: string };

/**
 * Runs passes on a worker thread with its own store connection and a lower CPU priority, so the thread that
 * serves polls only hears "committed" and re-renders what changed.
 */
export class WorkerPassRunner implements PassRunner {
  private worker: Worker | undefined;
  private current: { resolve: (summary: PassSummary) => void; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly config: Config,
    private readonly onCommit: (result: CommitResult) => void,
  ) {}

  run(startedAt: Date): Promise<PassSummary> {
    if (this.current) return Promise.reject(new Error('a normalise pass is already running'));
    const worker = (this.worker ??= this.start());
    return new Promise((resolve, reject) => {
      this.current = { resolve, reject };
      worker.postMessage({ type: 'run', at: startedAt.toISOString(), config: this.config });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close', config: this.config });
    await exited;
  }

  private start(): Worker {
    const worker = startWorker(new URL('./pass-worker.js', import.meta.url));
    worker.on('message', (reply: PassWorkerReply) => {
      if (reply.type === 'committed') this.onCommit(reply.result);
      else if (reply.type === 'done') this.settle((pending) => pending.resolve(reply.summary));
      else this.settle((pending) => pending.reject(new Error(reply.message)));
    });
    // A worker that dies mid-pass leaves the store as of its last commit; the next pass starts a new one.
    worker.on('error', (error) => this.settle((pending) => pending.reject(error)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.settle((pending) => pending.reject(new Error(`the normalise worker stopped (exit code ${code})`)));
    });
    return worker;
  }

  private settle(action: (pending: NonNullable<WorkerPassRunner['current']>) => void): void {
    const pending = this.current;
    this.current = undefined;
    if (pending) action(pending);
  }
}
