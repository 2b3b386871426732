import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';

// One article with thousands of tags changes tens of thousands of feed URLs at once: a handful of pings in flight
// keeps sockets (and file descriptors) for requests, and a bounded queue keeps memory flat.
const CONCURRENT_PINGS = 4;
const MAX_WAITING_PINGS = 10_000;

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
/** A promise and the function that settles it (Promise.withResolvers, which Node 20 lacks). */
function idleMoment(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

export class WebSubPublisher {
  // In insertion order, oldest first; a URL already waiting is not queued again (one ping tells the hub).
  private readonly waiting = new Set<string>();
  private inFlight = 0;
  // One promise for every caller waiting on the same idle moment, however many commits publish meanwhile.
  private idle: { promise: Promise<void>; resolve: () => void } | undefined;
  // fetch's shared pool may open a socket before the previous one is back in it; an agent with maxSockets cannot.
  private readonly agent: http.Agent;
  private readonly client: typeof http | typeof https;

  constructor(private readonly options: WebSubOptions) {
    const agentOptions = { keepAlive: true, maxSockets: options.concurrency ?? CONCURRENT_PINGS };
    const secure = new URL(options.hubUrl).protocol === 'https:';
    this.client = secure ? https : http;
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Queues pings for `feedUrls`; resolves once no ping is waiting or in flight (tests await it). */
  publish(feedUrls: readonly string[]): Promise<void> {
    const { maxWaiting = MAX_WAITING_PINGS, log } = this.options;
    let dropped = 0;
    for (const url of feedUrls) {
      if (this.waiting.has(url)) continue;
      // The oldest are dropped rather than the newest refused: a hub that is this far behind hears about the
      // latest changes first, and the dropped feeds are still fetched by subscribers that poll.
      const oldest = this.waiting.size >= maxWaiting ? this.waiting.values().next().value : undefined;
      if (oldest !== undefined) {
        this.waiting.delete(oldest);
        dropped += 1;
      }
      this.waiting.add(url);
    }
    if (dropped > 0) log.warn({ dropped, maxWaiting }, 'WebSub ping queue full: dropped the oldest waiting pings');
    this.idle ??= idleMoment();
    const { promise } = this.idle;
    this.startPings();
    return promise;
  }

  private startPings(): void {
    const { concurrency = CONCURRENT_PINGS } = this.options;
    for (const url of this.waiting) {
      if (this.inFlight >= concurrency) return;
      this.waiting.delete(url);
      this.inFlight += 1;
      void this.ping(url).finally(() => {
        this.inFlight -= 1;
        this.startPings();
      });
    }
    if (this.inFlight === 0) {
      this.idle?.resolve();
      this.idle = undefined;
    }
  }

  /** POSTs one publish notification; resolves with the hub's status once its answer has been read. */
  private post(feedUrl: string): Promise<number> {
    const { hubUrl, timeoutMs = 10_000 } = this.options;
    const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }).toString();
    return new Promise((resolve, reject) => {
      const request = this.client.request(
        hubUrl,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response) => {
          response.resume();
          response.on('close', () =>
            response.complete
              ? resolve(response.statusCode ?? 0)
              : reject(new Error('the hub closed the connection mid-answer')),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  private async ping(feedUrl: string): Promise<void> {
    const { retryMs, attempts = 4, log } = this.options;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const status = await this.post(feedUrl);
        if (status >= 200 && status < 300) return;
        log.warn({ feedUrl, status, attempt }, 'WebSub hub refused a publish ping');
      } catch (error) {
        log.warn({ feedUrl, err: error, attempt }, 'WebSub hub unreachable');
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryMs * 2 ** (attempt - 1)));
    }
    log.error({ feedUrl, attempts }, 'WebSub publish ping given up');
  }
}
