import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { ByteLru } from './feeds/byte-lru.js';
import { FeedCache } from './feeds/cache.js';
import { createEditions, type Edition } from './feeds/edition.js';
import { changedFeedUrls } from './feeds/urls.js';
import { startLiveEdits, type LiveEdits } from './jobs/live-edits.js';
import { NormaliseJob } from './jobs/normalise-job.js';
import { WorkerPassRunner } from './jobs/pass-runner.js';
import { Metrics } from './observability/metrics.js';
import { changedCacheKeys } from './feeds/cdn-keys.js';
import { cdnPurger } from './push/cdn-purge.js';
import type { DeliveryStats } from './push/delivery-queue.js';
import { WebSubPublisher } from './push/websub.js';
import { ScopeVersions } from './feeds/scope-versions.js';
import type { RenderedFeed } from './feeds/variants.js';
import { openStore } from './store/open-store.js';
import type { CommitResult, CommitWatch, Store } from './store/store.js';

/** How often the store is asked whether any process committed ("within a second" is the promise). */
const COMMIT_CHECK_MS = 1000;

/** An edition of the site with the cache of its rendered feeds. */
export interface PublishedEdition {
  readonly edition: Edition;
  readonly cache: FeedCache;
}

/** The long-lived parts the server and the CLI share, wired together. */
export interface AppContext {
  readonly config: Config;
  readonly store: Store;
  /** Every edition (script) the site is published in; the primary (Cyrillic) one first. */
  readonly editions: readonly PublishedEdition[];
  /** The primary edition's cache. */
  readonly cache: FeedCache;
  /** Every rendered feed of every edition, bounded by FEED_CACHE_MAX_BYTES. */
  readonly rendered: ByteLru<RenderedFeed>;
  /** The watch for commits of any process; stopped with the store. */
  readonly commits: CommitWatch;
  readonly job: NormaliseJob;
  /** The watch that publishes edits as they land; absent when WATCH=false or on a web-only replica. */
  readonly liveEdits: LiveEdits | undefined;
  readonly metrics: Metrics;
  /** What the background deliveries after commits (WebSub pings, CDN purges) have done, by receiver. */
  readonly deliveries: Readonly<Record<string, () => DeliveryStats>>;
}

export interface ContextOptions {
  /** The clock that dates passes (tests set it). */
  readonly now?: () => Date;
  readonly log?: Logger;
  /** Hears every commit of any process once the caches have moved with it (the static export's watch mode). */
  readonly onCommitSeen?: () => void;
}

/**
 * Opens the store and wires the feed caches to its commits (whichever process made them) and the job's own commits
 * to the WebSub hub.
 */
export function createContext(config: Config, options: ContextOptions = {}): AppContext {
  const store = openStore(config.databaseUrl);
  const shared = { rendered: new ByteLru<RenderedFeed>(config.feedCacheMaxBytes), scopes: new ScopeVersions(store) };
  const editions = createEditions(config).map((edition) => ({ edition, cache: new FeedCache(store, edition, shared) }));
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- createEditions lists the primary one first.
  const primary = editions[0]!.cache;
  const commits = store.watchCommits((change) => {
    const moved = shared.scopes.apply(change);
    const changed = change.scopes === 'all' ? 'all' : [...change.scopes.keys()];
    for (const { cache } of editions) cache.scopesMoved(moved, changed);
    // "Everything moved" (another database file, a restored backup): versions may repeat with other content, so
    // nothing rendered before may be served again. The polled default pages are already being re-rendered.
    if (change.scopes === 'all') shared.rendered.clear();
    options.onCommitSeen?.();
  }, COMMIT_CHECK_MS);
  const log = options.log ?? pino({ level: 'silent' });
  const hub = config.webSubHub
    ? new WebSubPublisher({ hubUrl: config.webSubHub, retryMs: config.webSubRetryMs, log })
    : undefined;
  const purger = cdnPurger(config, log);
  // Only the process that committed tells the hub and the CDN, so several replicas never do it twice for one change.
  const onCommit = (result: CommitResult) => {
    if (result.changedCategories.length === 0 && result.changedTags.length === 0) return;
    const changed = { categories: result.changedCategories, tags: result.changedTags };
    if (hub) void hub.publish(editions.flatMap(({ edition }) => changedFeedUrls(edition.config.baseUrl, changed)));
    if (purger) void purger.purge(changedCacheKeys(result));
  };
  // Passes run on their own thread: this one serves requests and only re-renders what a commit changed.
  const runner = new WorkerPassRunner(config, onCommit);
  const deliveries = {
    ...(hub ? { webSub: () => hub.stats() } : {}),
    ...(purger ? { cdnPurge: () => purger.stats() } : {}),
  };
  const metrics = new Metrics(() => primary.terms('category'), deliveries);
  const job = new NormaliseJob(
    runner,
    options.now,
    (seconds, summary) => metrics.recordPass(seconds, summary),
    () => commits.check(),
  );
  const liveEdits = config.watch && config.role !== 'web' ? startLiveEdits(job, config.articlesDir, log) : undefined;
  return {
    config,
    store,
    editions,
    cache: primary,
    rendered: shared.rendered,
    commits,
    job,
    liveEdits,
    metrics,
    deliveries,
  };
}
