import type { Logger } from 'pino';

// One article with thousands of tags changes tens of thousands of feeds at once: a handful of requests in flight
// keeps sockets (and file descriptors) for serving, and a bounded queue keeps memory flat.
const CONCURRENT_DELIVERIES = 4;
const MAX_WAITING = 10_000;

export interface DeliveryQueueOptions {
  /** What one delivery is, for log lines ("WebSub ping", "CDN purge"). */
  readonly name: string;
  /** What the queue holds, for log lines ("pings", "purge keys"). */
  readonly items: string;
  /** Sends one batch; resolves once the receiver accepted it, throws (with the reason) otherwise. */
  readonly deliver: (batch: readonly string[]) => Promise<void>;
  /** First retry delay; doubled on each retry. */
  readonly retryMs: number;
  readonly attempts?: number;
  /** Deliveries in flight at once, retries included. */
  readonly concurrency?: number;
  /** Items waiting; past this, the oldest waiting ones are dropped. */
  readonly maxWaiting?: number;
  /** Items sent in one delivery (a purge API takes many keys at once; a WebSub ping one URL). */
  readonly batchSize?: number;
  readonly log: Logger;
}

/** What the queue has done since the process started, for /status and /metrics. */
export interface DeliveryStats {
  readonly waiting: number;
  readonly inFlight: number;
  /** Items the receiver accepted. */
  readonly delivered: number;
  /** Attempts that failed (each retry counts). */
  readonly failedAttempts: number;
  /** Items given up after every attempt failed. */
  readonly givenUp: number;
  /** Items dropped unsent because the queue was full. */
  readonly dropped: number;
  readonly lastFailure: { readonly at: string; readonly message: string } | null;
}

/** A promise and the function that settles it (Promise.withResolvers, which Node 20 lacks). */
function idleMoment(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/**
 * Delivers items (feed URLs, cache keys) in the background: deduplicated while waiting, a few batches at a time,
 * each retried with exponential backoff. A pass never waits for a receiver.
 */
export class DeliveryQueue {
  // In insertion order, oldest first; an item already waiting is not queued again (one delivery covers it).
  private readonly waiting = new Set<string>();
  private inFlight = 0;
  // One promise for every caller waiting on the same idle moment, however many commits add items meanwhile.
  private idle: { promise: Promise<void>; resolve: () => void } | undefined;
  private counts = { delivered: 0, failedAttempts: 0, givenUp: 0, dropped: 0 };
  private lastFailure: DeliveryStats['lastFailure'] = null;

  constructor(private readonly options: DeliveryQueueOptions) {}

  /** Queues `items`; resolves once nothing is waiting or in flight (tests and the CLI await it). */
  add(items: readonly string[]): Promise<void> {
    const { maxWaiting = MAX_WAITING, log, name, items: noun } = this.options;
    let dropped = 0;
    for (const item of items) {
      if (this.waiting.has(item)) continue;
      // The oldest are dropped rather than the newest refused: a receiver this far behind hears about the latest
      // changes first, and what was dropped still expires by its own lifetime.
      const oldest = this.waiting.size >= maxWaiting ? this.waiting.values().next().value : undefined;
      if (oldest !== undefined) {
        this.waiting.delete(oldest);
        dropped += 1;
      }
      this.waiting.add(item);
    }
    if (dropped > 0) {
      this.counts.dropped += dropped;
      log.warn({ dropped, maxWaiting }, `${name} queue full: dropped the oldest waiting ${noun}`);
    }
    this.idle ??= idleMoment();
    const { promise } = this.idle;
    this.start();
    return promise;
  }

  stats(): DeliveryStats {
    return { waiting: this.waiting.size, inFlight: this.inFlight, ...this.counts, lastFailure: this.lastFailure };
  }

  private start(): void {
    const { concurrency = CONCURRENT_DELIVERIES, batchSize = 1 } = this.options;
    while (this.inFlight < concurrency && this.waiting.size > 0) {
      const batch: string[] = [];
      for (const item of this.waiting) {
        if (batch.length >= batchSize) break;
        batch.push(item);
      }
      for (const item of batch) this.waiting.delete(item);
      this.inFlight += 1;
      void this.send(batch).finally(() => {
        this.inFlight -= 1;
        this.start();
      });
    }
    if (this.inFlight === 0) {
      this.idle?.resolve();
      this.idle = undefined;
    }
  }

  private async send(batch: readonly string[]): Promise<void> {
    const { retryMs, attempts = 4, log, name, deliver } = this.options;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        await deliver(batch);
        this.counts.delivered += batch.length;
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.counts.failedAttempts += 1;
        this.lastFailure = { at: new Date().toISOString(), message };
        log.warn({ items: batch.slice(0, 10), count: batch.length, attempt, reason: message }, `${name} failed`);
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryMs * 2 ** (attempt - 1)));
    }
    this.counts.givenUp += batch.length;
    log.error({ items: batch.slice(0, 10), count: batch.length, attempts }, `${name} given up`);
  }
}
