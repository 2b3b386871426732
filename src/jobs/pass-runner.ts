import type { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { PassLockedError, type CommitResult, type PassSummary } from '../store/store.js';
import { startWorker } from './ts-worker.js';

/** Runs one normalise pass somewhere; `onCommit` hears about the commit before the pass reports done. */
export interface PassRunner {
  /** A full pass, or with `only` a live edit's pass over those paths (see PassDeps.only). */
  run(startedAt: Date, only?: readonly string[]): Promise<PassSummary>;
  /** Lets a running pass finish (within a grace that keeps shutdown prompt), then stops. */
  close(): Promise<void>;
}

export type PassWorkerRequest = { type: 'run'; at: string; only?: readonly string[] } | { type: 'close' };
export type PassWorkerReply =
  | { type: 'started' }
  | { type: 'committed'; result: CommitResult }
  | { type: 'done'; summary: PassSummary }
  | { type: 'failed'; message: string }
  /** Another process holds the pass lock (a replica is normalising): nothing was written. */
  | { type: 'skipped' };

// Well inside the server's 10 s shutdown limit, so a pass that does not end in time is stopped, not the process.
const CLOSE_GRACE_MS = 5_000;

/**
 * Runs passes on a worker thread with its own store connection and a lower CPU priority, so the thread that
 * serves polls only hears "committed" and re-renders what changed. A pass that outlives PASS_TIMEOUT, or the
 * close grace, is stopped with its thread: SQLite closes the thread's connection, which rolls the pass back.
 */
export class WorkerPassRunner implements PassRunner {
  private worker: Worker | undefined;
  private current: { resolve: (summary: PassSummary) => void; reject: (error: Error) => void } | undefined;
  private ended: Promise<void> = Promise.resolve();
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: Config,
    private readonly onCommit: (result: CommitResult) => void,
  ) {}

  run(startedAt: Date, only?: readonly string[]): Promise<PassSummary> {
    if (this.current) return Promise.reject(new Error('a normalise pass is already running'));
    const worker = (this.worker ??= this.start());
    const pass = new Promise<PassSummary>((resolve, reject) => {
      this.current = { resolve, reject };
      worker.postMessage({ type: 'run', at: startedAt.toISOString(), ...(only ? { only } : {}), config: this.config });
    });
    this.ended = pass.then(
      () => undefined,
      () => undefined,
    );
    return pass;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    if (this.current)
      await Promise.race([this.ended, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
    if (this.current) return this.stop(worker, 'the normalise pass was stopped and rolled back at shutdown');
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close', config: this.config });
    await exited;
  }

  private start(): Worker {
    const worker = startWorker(new URL('./pass-worker.js', import.meta.url));
    let failure: Error | undefined;
    worker.on('message', (reply: PassWorkerReply) => {
      // A commit is real even if it comes from a worker already being stopped: feeds must hear of it.
      if (reply.type === 'committed') return this.onCommit(reply.result);
      if (this.worker !== worker) return;
      if (reply.type === 'started') this.startWatchdog(worker);
      else if (reply.type === 'done') this.settle((pending) => pending.resolve(reply.summary));
      else if (reply.type === 'skipped') this.settle((pending) => pending.reject(new PassLockedError()));
      else this.settle((pending) => pending.reject(new Error(reply.message)));
    });
    worker.on('error', (error) => (failure = error));
    // A worker that dies mid-pass leaves the store as of its last commit; the next pass starts a new one.
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.settle((pending) =>
        pending.reject(new Error(`the normalise worker stopped (${failure ? failure.message : `exit code ${code}`})`)),
      );
    });
    return worker;
  }

  private startWatchdog(worker: Worker): void {
    const seconds = this.config.passTimeoutSeconds;
    this.watchdog = setTimeout(
      () =>
        void this.stop(
          worker,
          `the normalise pass ran longer than PASS_TIMEOUT (${seconds} s); it was stopped and rolled back`,
        ),
      seconds * 1000,
    );
  }

  /** Ends the worker, then the pass: once the thread is gone, its transaction is rolled back and the lock free. */
  private async stop(worker: Worker, reason: string): Promise<void> {
    if (this.worker === worker) this.worker = undefined;
    await worker.terminate();
    this.settle((pending) => pending.reject(new Error(reason)));
  }

  private settle(action: (pending: NonNullable<WorkerPassRunner['current']>) => void): void {
    clearTimeout(this.watchdog);
    const pending = this.current;
    this.current = undefined;
    if (pending) action(pending);
  }
}
