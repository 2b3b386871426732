import type { IncomingHttpHeaders } from 'node:http';

function etagMatches(header: string, etag: string): boolean {
  // The common case, a poller echoing the ETag it got, costs one comparison.
  if (header === etag || header.trim() === '*') return true;
  // If-None-Match uses weak comparison (RFC 9110 §13.1.2): W/"x" matches "x". A bare list split on commas
  // is safe because our ETags never contain one.
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// The three HTTP-date forms of RFC 9110 §5.6.7, and nothing else: Date.parse would take "2030" or "tomorrow".
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`,
);
const ASCTIME = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

function utc(
  year: number,
  month: string,
  day: string,
  hours: string,
  minutes: string,
  seconds: string,
): number | undefined {
  const monthIndex = MONTHS.indexOf(month);
  const time = Date.UTC(year, monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds));
  const date = new Date(time);
  // Rejects what Date.UTC would roll over (31 Feb, 25:00:00) instead of reading it as another date.
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === monthIndex &&
    date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hours) &&
    date.getUTCMinutes() === Number(minutes) &&
    date.getUTCSeconds() === Number(seconds);
  return exact ? time : undefined;
}

// RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is the most recent past year ending in those digits.
function rfc850Year(twoDigits: number, now: Date): number {
  const thisYear = now.getUTCFullYear();
  const year = thisYear - (thisYear % 100) + twoDigits;
  return year > thisYear + 50 ? year - 100 : year;
}

/** Milliseconds of an HTTP-date, or undefined when the value is not one. */
export function parseHttpDate(value: string, now: Date): number | undefined {
  // Every group of these patterns is mandatory: the '' defaults are never used, they only satisfy the types.
  const imfFixdate = IMF_FIXDATE.exec(value);
  if (imfFixdate) {
    const [, day = '', month = '', year = '', hours = '', minutes = '', seconds = ''] = imfFixdate;
    return utc(Number(year), month, day, hours, minutes, seconds);
  }
  const rfc850 = RFC_850.exec(value);
  if (rfc850) {
    const [, day = '', month = '', year = '', hours = '', minutes = '', seconds = ''] = rfc850;
    return utc(rfc850Year(Number(year), now), month, day, hours, minutes, seconds);
  }
  const asctime = ASCTIME.exec(value);
  if (asctime) {
    const [, month = '', day = '', hours = '', minutes = '', seconds = '', year = ''] = asctime;
    return utc(Number(year), month, day.trim(), hours, minutes, seconds);
  }
  return undefined;
}

/**
 * True when the client's copy is current (RFC 9110 §13.2.2): If-None-Match decides when present;
 * otherwise If-Modified-Since, compared at one-second precision. An If-Modified-Since that is not an HTTP-date,
 * or is later than now, is ignored (RFC 9110 §13.1.3): the client gets the full response. "Now" is never earlier
 * than our own Last-Modified: two commits within one second put the second a second ahead (Last-Modified only
 * moves forward), and a client echoing that date back has not sent a date from the future.
 */
export function isNotModified(
  headers: IncomingHttpHeaders,
  etag: string,
  lastModified: Date,
  now = new Date(),
): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, etag);
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = parseHttpDate(ifModifiedSince, now);
  if (since === undefined || since > Math.max(now.getTime(), lastModified.getTime())) return false;
  return Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}
