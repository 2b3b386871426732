import type { Config } from './config.js';
import { FeedCache } from './feeds/cache.js';
import { NormaliseJob } from './jobs/normalise-job.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

/** The long-lived parts the server and the CLI share, wired together. */
export interface AppContext {
  readonly config: Config;
  readonly store: Store;
  readonly cache: FeedCache;
  readonly job: NormaliseJob;
}

/** Opens the store and wires the job to the feed cache: a committed pass invalidates what it changed. */
export async function createContext(config: Config, now: () => Date = () => new Date()): Promise<AppContext> {
  const store = openStore(config.databaseUrl);
  const cache = new FeedCache(store, config);
  const job = new NormaliseJob({ store, config, now, onCommit: (result) => cache.invalidate(result) });
  return { config, store, cache, job };
}
