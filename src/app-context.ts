import type { Config } from './config.js';
import { FeedCache } from './feeds/cache.js';
import { NormaliseJob } from './jobs/normalise-job.js';
import { WorkerPassRunner } from './jobs/pass-runner.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

/** The long-lived parts the server and the CLI share, wired together. */
export interface AppContext {
  readonly config: Config;
  readonly store: Store;
  readonly cache: FeedCache;
  readonly job: NormaliseJob;
}

export interface ContextOptions {
  /** The clock that dates passes (tests set it). */
  readonly now?: () => Date;
}

/** Opens the store and wires the job to the feed cache: a committed pass invalidates what it changed. */
export function createContext(config: Config, options: ContextOptions = {}): AppContext {
  const store = openStore(config.databaseUrl);
  const cache = new FeedCache(store, config);
  // Passes run on their own thread: this one serves requests and only re-renders what a commit changed.
  const runner = new WorkerPassRunner(config, cache.invalidate.bind(cache));
  return { config, store, cache, job: new NormaliseJob(runner, options.now) };
}
