import type { Logger } from 'pino';

export interface WebSubOptions {
  readonly hubUrl: string;
  readonly retryMs: number;
  readonly attempts?: number;
  readonly timeoutMs?: number;
  readonly log: Logger;
}

/**
 * Tells a WebSub hub (W3C Recommendation) which feeds changed: one `hub.mode=publish` POST per feed URL, retried
 * with exponential backoff. Runs in the background: a pass never waits for a hub.
 */
export class WebSubPublisher {
  constructor(private readonly options: WebSubOptions) {}

  /** Starts pinging the hub about `feedUrls`; resolves when every ping succeeded or gave up (tests await it). */
  publish(feedUrls: readonly string[]): Promise<void> {
    return Promise.all(feedUrls.map((url) => this.ping(url))).then(() => undefined);
  }

  private async ping(feedUrl: string): Promise<void> {
    const { hubUrl, retryMs, attempts = 4, timeoutMs = 10_000, log } = this.options;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const response = await fetch(hubUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) return;
        log.warn({ feedUrl, status: response.status, attempt }, 'WebSub hub refused a publish ping');
      } catch (error) {
        log.warn({ feedUrl, err: error, attempt }, 'WebSub hub unreachable');
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryMs * 2 ** (attempt - 1)));
    }
    log.error({ feedUrl, attempts }, 'WebSub publish ping given up');
  }
}
