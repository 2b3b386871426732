import { toRfc3339 } from '../articles/dates.js';
import { PassLockedError, type PassSummary } from '../store/store.js';
import type { PassRunner } from './pass-runner.js';

/** Runs passes one at a time: a pass requested while one is running joins the running one. */
export class NormaliseJob {
  private running: Promise<PassSummary> | undefined;
  /** Why the last pass failed, until a pass succeeds again. */
  lastError: { at: string; message: string } | undefined;
  /** When this process last skipped a pass because another one (a replica) was running it. */
  lastSkipped: string | undefined;

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

  run(): Promise<PassSummary> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    this.running ??= this.runner
      .run(this.now())
      .finally(() => this.afterPass().catch(() => undefined))
      .then(
        (summary) => {
          this.lastError = undefined;
          this.onPassEnd(seconds(), summary);
          return summary;
        },
        (error: unknown) => {
          // Another replica is normalising: that is the lock working, not a failure of this one.
          if (error instanceof PassLockedError) {
            this.lastSkipped = toRfc3339(new Date());
            throw error;
          }
          this.lastError = { at: toRfc3339(new Date()), message: error instanceof Error ? error.message : String(error) };
          this.onPassEnd(seconds(), undefined);
          throw error;
        },
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops the runner at shutdown: a running pass commits or rolls back first, or is stopped after the runner's grace. */
  async stop(): Promise<void> {
    await this.runner.close();
    await this.running?.catch(() => undefined);
  }
}
