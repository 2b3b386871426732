import type { IncomingHttpHeaders } from 'node:http';
import Negotiator from 'negotiator';
import { FEED_FORMATS, FORMATS } from '../feeds/formats.js';

/**
 * What a feed could be served as: each format's own type and the generic ones readers list for them. Listed before
 * `text/html`, so a range that matches both alike (`*\/*`, `text/*`) ranks a feed type first: a tie is a reader's.
 */
const FEED_MEDIA_TYPES = [
  ...FEED_FORMATS.map((format) => FORMATS[format].contentType.split(';', 1)[0] ?? ''),
  'application/xml',
  'text/xml',
  'application/json',
];
const CANDIDATES = [...FEED_MEDIA_TYPES, 'text/html'];
// Only an Accept naming text/html can rank it above every feed type (a wildcard ties, and ties go to the feed).
const NAMES_HTML = /text\/html/i;

const MEMO_LIMIT = 512;
// Browsers' Accept headers are well under this; longer values are answered without being kept.
const MEMO_MAX_HEADER_LENGTH = 512;
const memo = new Map<string, boolean>();

function prefersHtml(accept: string): boolean {
  const known = memo.get(accept);
  if (known !== undefined) return known;
  // negotiator ranks by q-value, then by how specific the matching range is, then by its order in the header.
  const prefers = new Negotiator({ headers: { accept } }).mediaTypes(CANDIDATES)[0] === 'text/html';
  if (accept.length > MEMO_MAX_HEADER_LENGTH) return prefers;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(accept, prefers);
  return prefers;
}

/**
 * True when a request for a feed comes from a person's browser opening it (a navigation: `Sec-Fetch-Dest:
 * document`, or, from browsers that send no fetch metadata, an Accept that prefers HTML to every feed type), so it
 * gets the feed's HTML preview. Feed readers, curl and anything sending no Accept get the feed.
 */
export function isBrowserNavigation(headers: IncomingHttpHeaders): boolean {
  if (headers['sec-fetch-dest'] === 'document') return true;
  const { accept } = headers;
  return accept !== undefined && NAMES_HTML.test(accept) && prefersHtml(accept);
}
