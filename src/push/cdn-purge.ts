import type { Logger } from 'pino';
import type { CdnPurgeConfig, Config } from '../config.js';
import { DeliveryQueue, type DeliveryStats } from './delivery-queue.js';
import { expectSuccess, HttpPoster } from './http-post.js';

type PurgeStyle = CdnPurgeConfig['style'];

// Keys per request each API takes: Fastly purges up to 256 surrogate keys at once, Cloudflare 30 tags.
const BATCH_SIZE: Readonly<Record<PurgeStyle, number>> = { webhook: 256, fastly: 256, cloudflare: 30 };
const CONCURRENT_PURGES = 2;

/** The headers and body that purge `keys` in the given style (pure). */
export function purgeRequest(
  style: PurgeStyle,
  keys: readonly string[],
  token: string | undefined,
): { headers: Record<string, string>; body: string } {
  const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
  switch (style) {
    // https://www.fastly.com/documentation/reference/api/purging/#bulk-purge-tag: soft purge marks the objects
    // stale, so the CDN can still serve them (stale-while-revalidate) while it fetches the new version.
    case 'fastly':
      return {
        headers: { ...json, 'Fastly-Soft-Purge': '1', ...(token ? { 'Fastly-Key': token } : {}) },
        body: JSON.stringify({ surrogate_keys: keys }),
      };
    // https://developers.cloudflare.com/api/resources/cache/methods/purge/ (purge by cache tag).
    case 'cloudflare':
      return {
        headers: { ...json, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ tags: keys }),
      };
    case 'webhook':
      return {
        headers: { ...json, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ keys }),
      };
  }
}

export interface CdnPurgeOptions extends CdnPurgeConfig {
  readonly log: Logger;
}

/** Purges changed cache keys at a CDN after each commit, in the background, batched and retried. */
export class CdnPurger {
  private readonly queue: DeliveryQueue;

  constructor(options: CdnPurgeOptions) {
    const poster = new HttpPoster(options.url, CONCURRENT_PURGES);
    this.queue = new DeliveryQueue({
      name: 'CDN purge',
      items: 'purge keys',
      retryMs: options.retryMs,
      concurrency: CONCURRENT_PURGES,
      batchSize: BATCH_SIZE[options.style],
      log: options.log,
      deliver: async (keys) => {
        const { headers, body } = purgeRequest(options.style, keys, options.token);
        expectSuccess(await poster.post(headers, body), 'the purge endpoint');
      },
    });
  }

  /** Queues the purge of `keys`; resolves once nothing is waiting or in flight. */
  purge(keys: readonly string[]): Promise<void> {
    return this.queue.add(keys);
  }

  stats(): DeliveryStats {
    return this.queue.stats();
  }
}

/** The purger of CDN_PURGE_URL, if one is configured: the server's and the CLI's. */
export function cdnPurger(config: Pick<Config, 'cdnPurge'>, log: Logger): CdnPurger | undefined {
  return config.cdnPurge ? new CdnPurger({ ...config.cdnPurge, log }) : undefined;
}
