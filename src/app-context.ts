import type { Config } from './config.js';
import { FeedCache } from './feeds/cache.js';
import { NormaliseJob } from './jobs/normalise-job.js';
import { inProcessRunner, WorkerPassRunner } from './jobs/pass-runner.js';
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
  /** "worker" (the server): passes run on their own thread; "in-process" (the CLI): on this one. */
  readonly passes?: 'worker' | 'in-process';
  /** The clock that dates passes (tests set it). */
  readonly now?: () => Date;
}

/** Opens the store and wires the job to the feed cache: a committed pass invalidates what it changed. */
export function createContext(config: Config, options: ContextOptions = {}): AppContext {
  const store = openStore(config.databaseUrl);
  const cache = new FeedCache(store, config);
  const onCommit = cache.invalidate.bind(cache);
  const runner = options.passes === 'in-process' ? inProcessRunner(store, config, onCommit) : new WorkerPassRunner(config, onCommit);
  return { config, store, cache, job: new NormaliseJob(runner, options.now) };
}
