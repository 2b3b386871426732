import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryStats } from '../push/delivery-queue.js';
import type { PassSummary, TermCount } from '../store/store.js';
import { PollerStats, type PollerCounts } from './pollers.js';

// Routes as operators think of them; the format is a label of its own. Classified from the path, so the fast
// path and Express are counted alike.
const FEED_PATH = /^(?:\/lat)?(?:\/(categories|tags)\/[^/?]+)?\/(rss\.xml|atom\.xml|feed\.json)(?:\?|$)/;
// Distinct request paths remembered; probes with random paths only ever cost a reclassification.
const MEMO_LIMIT = 1024;
const FORMAT_OF_FILE: Readonly<Record<string, string>> = { 'rss.xml': 'rss', 'atom.xml': 'atom', 'feed.json': 'json' };
const SCOPE_OF_FOLDER: Readonly<Record<string, string>> = { categories: 'category', tags: 'tag' };
const OTHER_ROUTES: ReadonlyArray<[RegExp, string]> = [
  [/^(?:\/lat)?\/(?:\?|$)/, 'index'],
  [/^(?:\/lat)?\/articles\//, 'article'],
  [/^(?:\/lat)?\/(?:categories|tags)\/[^/]+\/?(?:\?|$)/, 'term-page'],
  [/^\/opml\.xml/, 'opml'],
  [/^\/(?:status|healthz|readyz|metrics)(?:\?|$)/, 'service'],
];

/** Whether a request path asks for a feed (any scope, format or edition, paged or not). */
export function isFeedRequest(url: string): boolean {
  return FEED_PATH.test(url);
}

/** { route, format } labels of a request path. */
export function classifyRequest(url: string): { route: string; format: string } {
  const feed = FEED_PATH.exec(url);
  if (feed)
    return {
      route: `feed-${SCOPE_OF_FOLDER[feed[1] ?? ''] ?? 'site'}`,
      format: FORMAT_OF_FILE[feed[2] ?? ''] ?? 'none',
    };
  const other = OTHER_ROUTES.find(([pattern]) => pattern.test(url));
  return { route: other?.[1] ?? 'other', format: 'none' };
}

/** The service's Prometheus metrics, in a registry of their own. */
export class Metrics {
  readonly registry = new Registry();
  /** Feed requests by user-agent family, shown as feed_pollers_* gauges. */
  readonly pollers = new PollerStats();
  private readonly requests = new Counter({
    name: 'feed_http_requests_total',
    help: 'HTTP responses by route, feed format and status (304 share: status="304" over all)',
    labelNames: ['route', 'format', 'status'],
    registers: [this.registry],
  });
  private readonly bytes = new Counter({
    name: 'feed_http_response_bytes_total',
    help: 'Response body bytes sent (Content-Length) by route and format',
    labelNames: ['route', 'format'],
    registers: [this.registry],
  });
  private readonly passSeconds = new Histogram({
    name: 'feed_normalise_pass_seconds',
    help: 'Duration of normalise passes',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly passFiles = new Gauge({
    name: 'feed_normalise_last_pass_files',
    help: 'Files in the last completed pass by outcome (scanned, new, updated, unchanged, retracted, rejected)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  /**
   * `categories` gives the categories with their entry counts: the feed cache's list, kept current commit by
   * commit, so that a scrape does not read every category from the store on the thread that serves requests.
   */
  constructor(
    categories: () => Promise<readonly TermCount[]>,
    deliveries: Readonly<Record<string, () => DeliveryStats>> = {},
  ) {
    const registry = this.registry;
    const pollers = this.pollers;
    const pollerGauge = (name: string, help: string, pick: (counts: PollerCounts) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['agent'],
        registers: [registry],
        collect() {
          this.reset();
          for (const [agent, counts] of pollers.top()) this.set({ agent }, pick(counts));
        },
      });
    pollerGauge(
      'feed_pollers_requests',
      'Feed requests by user-agent family (the top 20, then "other")',
      (c) => c.requests,
    );
    pollerGauge(
      'feed_pollers_conditional_requests',
      'Feed requests with If-None-Match or If-Modified-Since, by user-agent family',
      (c) => c.conditional,
    );
    pollerGauge('feed_pollers_not_modified', 'Feed requests answered 304, by user-agent family', (c) => c.notModified);
    new Gauge({
      name: 'feed_push_items',
      help: 'Background deliveries after commits (WebSub pings, CDN purge keys) by receiver and state since start',
      labelNames: ['receiver', 'state'],
      registers: [registry],
      collect() {
        for (const [receiver, stats] of Object.entries(deliveries)) {
          const { waiting, delivered, failedAttempts, givenUp, dropped } = stats();
          const states = { waiting, delivered, failed_attempts: failedAttempts, given_up: givenUp, dropped };
          for (const [state, value] of Object.entries(states)) this.set({ receiver, state }, value);
        }
      },
    });
    new Gauge({
      name: 'feed_entries',
      help: 'Published entries per category',
      labelNames: ['category'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const category of await categories()) this.set({ category: category.slug }, category.count);
      },
    });
  }

  private readonly routes = new Map<string, { route: string; format: string }>();
  private readonly counters = new Map<string, { requests: Counter.Internal; bytes: Counter.Internal }>();

  /** Counts every response of `listener` when it finishes. */
  instrument(listener: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      res.once('finish', () => {
        const length = req.method === 'HEAD' ? 0 : Number(res.getHeader('content-length') ?? 0);
        this.recordResponse(req.url ?? '/', res.statusCode, length);
      });
      listener(req, res);
    };
  }

  /**
   * Counts one response. Hot feed polls call this directly: classifying a path and finding its labelled
   * counters is memoised, so counting costs two map lookups and two additions.
   */
  recordResponse(url: string, status: number, bytes: number): void {
    let labels = this.routes.get(url);
    if (!labels) {
      if (this.routes.size >= MEMO_LIMIT) this.routes.clear();
      labels = classifyRequest(url);
      this.routes.set(url, labels);
    }
    const key = `${labels.route} ${labels.format} ${status}`;
    let counters = this.counters.get(key);
    if (!counters) {
      counters = {
        requests: this.requests.labels({ ...labels, status: String(status) }),
        bytes: this.bytes.labels(labels),
      };
      this.counters.set(key, counters);
    }
    counters.requests.inc();
    if (bytes > 0) counters.bytes.inc(bytes);
  }

  /** Records a finished pass (or a failed one, without a summary). */
  recordPass(seconds: number, summary: PassSummary | undefined): void {
    this.passSeconds.observe({ outcome: summary ? 'ok' : 'failed' }, seconds);
    if (!summary) return;
    for (const outcome of ['scanned', 'new', 'updated', 'unchanged', 'retracted', 'rejected'] as const)
      this.passFiles.set({ outcome }, summary[outcome]);
  }
}
