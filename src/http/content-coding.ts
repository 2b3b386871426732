import Negotiator from 'negotiator';
import { CONTENT_CODINGS, type ContentCoding } from '../feeds/variants.js';

const MEMO_LIMIT = 512;
const memo = new Map<string, ContentCoding | null>();

/**
 * The coding to send for an Accept-Encoding header (q-values, `identity`, `*` honoured, RFC 9110 §12.5.3),
 * or null when the client refuses every coding we have. Pollers send a handful of distinct headers,
 * so answers are memoised per header value.
 */
export function chooseContentCoding(acceptEncoding: string | undefined): ContentCoding | null {
  if (acceptEncoding === undefined) return 'identity';
  const known = memo.get(acceptEncoding);
  if (known !== undefined) return known;
  const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } });
  // negotiator 1.0 takes a `preferred` order for ties (its @types predate it): br before gzip when q is equal.
  const encodings = negotiator.encodings.bind(negotiator) as (
    available: string[],
    options: { preferred: string[] },
  ) => string[];
  const [best] = encodings([...CONTENT_CODINGS], { preferred: [...CONTENT_CODINGS] }) as ContentCoding[];
  const choice = best ?? null;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(acceptEncoding, choice);
  return choice;
}
