import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RenderedFeed } from '../feeds/variants.js';
import { isNotModified } from './conditional-get.js';
import { chooseContentCoding } from './content-coding.js';

const NOT_ACCEPTABLE = 'No acceptable content coding: this feed is available as br, gzip or identity\n';

/**
 * Sends a rendered feed: picks the encoding, answers conditionals with 304, HEAD with headers only.
 * Plain node:http calls, so the Express route and the fast path share it and per-request work stays minimal.
 */
export function serveFeed(
  req: IncomingMessage,
  res: ServerResponse,
  feed: RenderedFeed,
): { status: number; bytes: number } {
  const coding = chooseContentCoding(req.headers['accept-encoding']);
  if (coding === null) {
    res.writeHead(406, { 'Content-Type': 'text/plain; charset=utf-8', Vary: 'Accept-Encoding' });
    res.end(NOT_ACCEPTABLE);
    return { status: 406, bytes: NOT_ACCEPTABLE.length };
  }
  const variant = feed.variants[coding];
  if (isNotModified(req.headers, variant.etag, feed.lastModified)) {
    res.writeHead(304, variant.notModifiedHeaders);
    res.end();
    return { status: 304, bytes: 0 };
  }
  res.writeHead(200, variant.headers);
  const head = req.method === 'HEAD';
  res.end(head ? undefined : variant.body);
  return { status: 200, bytes: head ? 0 : variant.body.length };
}
