import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The one textual form every stored date takes: RFC 3339 in UTC, to the second. */
export function toRfc3339(date: Date | string): string {
  return dayjs.utc(date).format('YYYY-MM-DDTHH:mm:ss[Z]');
}

/** RFC 822 date as RSS 2.0 wants it, in GMT with English names whatever the locale. */
export function toRfc822(date: string): string {
  return dayjs.utc(date).locale('en').format('ddd, DD MMM YYYY HH:mm:ss [GMT]');
}

/**
 * Parses an ISO 8601 / RFC 3339 date or date-time strictly (no rollover of 2026-02-30);
 * a value without an offset is taken as UTC. Returns the canonical RFC 3339 form or undefined.
 */
export function parseStrictDate(value: string): string | undefined {
  const match = ISO_DATE.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = match;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  const inRange =
    Number(month) >= 1 &&
    Number(month) <= 12 &&
    Number(day) >= 1 &&
    Number(day) <= daysInMonth &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60;
  if (!inRange) return undefined;
  const parsed = dayjs.utc(value.trim().replace(' ', 'T'));
  return parsed.isValid() ? parsed.format('YYYY-MM-DDTHH:mm:ss[Z]') : undefined;
}
