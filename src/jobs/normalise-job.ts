import { toRfc3339 } from '../articles/dates.js';
import { PassLockedError, type PassSummary } from '../store/store.js';
import type { PassRunner } from './pass-runner.js';

/**
 * Runs passes one at a time: a full pass asked for while one runs joins it; a live edit's pass waits for it.
 */
export class NormaliseJob {
  private running: Promise<PassSummary> | undefined;
  /** Why the last pass failed, until a pass succeeds again. */
  lastError: { at: string; message: string } | undefined;
  /** When this process last skipped a pass because another one (a replica) was running it. */
  lastSkipped: string | undefined;
  /** When this process last started a full pass that completed: the reconciliation that catches what a watcher missed. */
  lastFullPassAt: string | undefined;
  private runningIsFull = false;
  private stopped = false;
  private queued: { paths: Set<string>; pass: Promise<PassSummary> } | undefined;

  constructor(
    private readonly runner: PassRunner,
    private readonly now: () => Date = () => new Date(),
    /** Hears how long each pass took, and its summary unless it failed. */
    private readonly onPassEnd: (seconds: number, summary: PassSummary | undefined) => void = () => undefined,
    /** Runs after every pass, committed or not, before it reports done: the check for commits (any process's). */
    private readonly afterPass: () => Promise<void> = async () => undefined,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** A full pass (the reconciliation of the whole folder); one asked for while a full pass runs joins it. */
  run(): Promise<PassSummary> {
    if (this.running && this.runningIsFull) return this.running;
    return this.start(undefined);
  }

  /**
   * A live edit's pass over `paths` (files or folders under ARTICLES_DIR), after the pass running now; paths asked
   * for before it starts join it, so a burst of events makes a few passes, not one per file.
   */
  runPaths(paths: Iterable<string>): Promise<PassSummary> {
    if (this.queued) {
      for (const path of paths) this.queued.paths.add(path);
      return this.queued.pass;
    }
    const queuedPaths = new Set(paths);
    // It leaves the queue once the pass running now has ended: until then, new paths join it.
    const pass = (this.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.start([...queuedPaths]);
      });
    this.queued = { paths: queuedPaths, pass };
    return pass;
  }

  private start(only: readonly string[] | undefined): Promise<PassSummary> {
    // A live edit's pass still queued when the job stopped must not start the runner again.
    if (this.stopped) return Promise.reject(new Error('the normalise job has stopped'));
    // One pass at a time: whatever runs now finishes first.
    if (this.running) return this.running.catch(() => undefined).then(() => this.start(only));
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const pass = this.runner
      .run(this.now(), only)
      .finally(() => this.afterPass().catch(() => undefined))
      .then(
        (summary) => {
          this.lastError = undefined;
          if (!only) this.lastFullPassAt = summary.startedAt;
          this.onPassEnd(seconds(), summary);
          return summary;
        },
        (error: unknown) => {
          // Another replica is normalising: that is the lock working, not a failure of this one.
          if (error instanceof PassLockedError) {
            this.lastSkipped = toRfc3339(new Date());
            throw error;
          }
          this.lastError = {
            at: toRfc3339(new Date()),
            message: error instanceof Error ? error.message : String(error),
          };
          this.onPassEnd(seconds(), undefined);
          throw error;
        },
      )
      .finally(() => {
        if (this.running === pass) this.running = undefined;
      });
    this.running = pass;
    this.runningIsFull = only === undefined;
    return pass;
  }

  /** Stops the runner at shutdown: a running pass commits or rolls back first, or is stopped after the runner's grace. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.runner.close();
    await this.running?.catch(() => undefined);
  }
}
