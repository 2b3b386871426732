import type { IncomingHttpHeaders } from 'node:http';

function etagMatches(header: string, etag: string): boolean {
  // The common case, a poller echoing the ETag it got, costs one comparison.
  if (header === etag || header.trim() === '*') return true;
  // If-None-Match uses weak comparison (RFC 9110 §13.1.2): W/"x" matches "x". A bare list split on commas
  // is safe because our ETags never contain one.
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * True when the client's copy is current (RFC 9110 §13.2.2): If-None-Match decides when present;
 * otherwise If-Modified-Since, compared at one-second precision.
 */
export function isNotModified(headers: IncomingHttpHeaders, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, etag);
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}
