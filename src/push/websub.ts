import type { Logger } from 'pino';
import { DeliveryQueue, type DeliveryStats } from './delivery-queue.js';
import { expectSuccess, HttpPoster } from './http-post.js';

const CONCURRENT_PINGS = 4;

export interface WebSubOptions {
  readonly hubUrl: string;
  readonly retryMs: number;
  readonly attempts?: number;
  readonly timeoutMs?: number;
  readonly log: Logger;
  /** Pings in flight at once, retries included. */
  readonly concurrency?: number;
  /** Feed URLs waiting for a ping; past this, the oldest waiting ones are dropped. */
  readonly maxWaiting?: number;
}

/**
 * Tells a WebSub hub (W3C Recommendation) which feeds changed: one `hub.mode=publish` POST per feed URL, retried
 * with exponential backoff, a few at a time. Runs in the background: a pass never waits for a hub.
 */
export class WebSubPublisher {
  private readonly queue: DeliveryQueue;

  constructor(options: WebSubOptions) {
    const concurrency = options.concurrency ?? CONCURRENT_PINGS;
    const poster = new HttpPoster(options.hubUrl, concurrency, options.timeoutMs);
    this.queue = new DeliveryQueue({
      name: 'WebSub ping',
      items: 'pings',
      retryMs: options.retryMs,
      concurrency,
      log: options.log,
      ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
      ...(options.maxWaiting === undefined ? {} : { maxWaiting: options.maxWaiting }),
      deliver: async ([feedUrl = '']) => {
        const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }).toString();
        expectSuccess(await poster.post({ 'Content-Type': 'application/x-www-form-urlencoded' }, body), 'the hub');
      },
    });
  }

  /** Queues pings for `feedUrls`; resolves once no ping is waiting or in flight (tests await it). */
  publish(feedUrls: readonly string[]): Promise<void> {
    return this.queue.add(feedUrls);
  }

  stats(): DeliveryStats {
    return this.queue.stats();
  }
}
