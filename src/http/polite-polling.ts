import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isFeedRequest } from '../observability/metrics.js';
import type { PollerStats } from '../observability/pollers.js';

/** How often one client may fetch one feed without a validator. */
export interface PollLimit {
  /** Unconditional fetches allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

// 4 rows of 262,144 16-bit counters per window, two windows: 4 MiB, however many clients there are. Counted with
// conservative updates, 200,000 distinct pollers in one window overestimate a new one by at most one fetch (about
// one in ten of them), so a limit of a few fetches never stops a client that polls within it.
const ROWS = 4;
const WIDTH = 1 << 18;

/** FNV-1a over a string's UTF-16 units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: spreads a hash over all bits, so each row's index is independent of the others. */
function mix(value: number): number {
  let hash = value;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * Counts fetches per key in fixed windows with a count-min sketch (counts only ever overestimate), weighing the
 * previous window by how much of it still overlaps the sliding window ending now.
 */
export class PollSketch {
  private current = new Uint16Array(ROWS * WIDTH);
  private previous = new Uint16Array(ROWS * WIDTH);
  private windowStart = 0;

  constructor(private readonly windowMs: number) {}

  /** Counts one fetch of `key` at `now` (ms); returns the estimated fetches in the window ending now, this one included. */
  hit(key: string, now: number): number {
    this.rotate(now);
    const hash = fnv1a(key);
    const cells = Array.from({ length: ROWS }, (_, row) => row * WIDTH + (mix(hash + row * 0x9e3779b9) & (WIDTH - 1)));
    let current = Infinity;
    let previous = Infinity;
    for (const cell of cells) {
      current = Math.min(current, this.current[cell] ?? 0);
      previous = Math.min(previous, this.previous[cell] ?? 0);
    }
    // Conservative update: only the counters at the estimate move, so other keys' collisions inflate it less.
    current = Math.min(current + 1, 0xffff);
    for (const cell of cells) if ((this.current[cell] ?? 0) < current) this.current[cell] = current;
    const overlap = 1 - (now - this.windowStart) / this.windowMs;
    return current + previous * overlap;
  }

  private rotate(now: number): void {
    const elapsed = now - this.windowStart;
    if (elapsed < this.windowMs) return;
    if (elapsed >= 2 * this.windowMs) {
      this.previous.fill(0);
      this.current.fill(0);
      this.windowStart = now;
      return;
    }
    [this.previous, this.current] = [this.current, this.previous.fill(0)];
    this.windowStart += this.windowMs;
  }
}

export const isConditional = (req: IncomingMessage) =>
  req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;

/**
 * Answers `429 Too Many Requests` with `Retry-After` to a client (address and user agent) that fetches one feed
 * without If-None-Match or If-Modified-Since more than `limit` times per window. Conditional polls are never
 * limited: they cost a lookup and a 304.
 */
export function withPollLimit(
  { limit, windowSeconds }: PollLimit,
  listener: RequestListener,
  onLimited: (url: string, status: number) => void,
  now: () => number = Date.now,
): RequestListener {
  const sketch = new PollSketch(windowSeconds * 1000);
  const retryAfter = String(Math.max(1, Math.ceil(windowSeconds / limit)));
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if ((req.method === 'GET' || req.method === 'HEAD') && !isConditional(req) && isFeedRequest(url)) {
      const path = url.split('?', 1)[0] ?? url;
      const client = `${req.socket.remoteAddress ?? ''}\0${req.headers['user-agent'] ?? ''}\0${path}`;
      if (sketch.hit(client, now()) > limit) {
        res.writeHead(429, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Retry-After': retryAfter,
          'Cache-Control': 'no-store',
        });
        res.end('Too many unconditional fetches of this feed: send If-None-Match or If-Modified-Since\n');
        onLimited(url, 429);
        return;
      }
    }
    listener(req, res);
  };
}

/** Counts every feed request by user-agent family: conditional or not, answered 304 or not. */
export function withPollerStats(stats: PollerStats, listener: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const feed = isFeedRequest(req.url ?? '/');
    listener(req, res);
    if (!feed) return;
    const userAgent = req.headers['user-agent'];
    const conditional = isConditional(req);
    // A cached poll has been answered by now; anything else is counted once it is.
    if (res.writableFinished) stats.record(userAgent, conditional, res.statusCode);
    else res.once('finish', () => stats.record(userAgent, conditional, res.statusCode));
  };
}
