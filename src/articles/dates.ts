import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):?(\d{2}))?)?$/i;

// RFC 3339 and RFC 822 both write the year in exactly four digits, so only these years can be published.
const FIRST_YEAR = 1000;
const LAST_YEAR = 9999;

export type DateResult = { ok: true; date: string } | { ok: false; reason: string };

/**
 * The one textual form every stored date takes: RFC 3339 in UTC, to the second. For years 0–9999, which is every
 * date stored (see parseStrictDate), that is the ISO form without its milliseconds; formatting through dayjs cost
 * more than the rest of a date's parse, once per article.
 */
export function toRfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** RFC 822 date as RSS 2.0 wants it, in GMT with English names whatever the locale. */
export function toRfc822(date: string): string {
  return dayjs.utc(date).locale('en').format('ddd, DD MMM YYYY HH:mm:ss [GMT]');
}

/**
 * Parses an ISO 8601 / RFC 3339 date or date-time strictly (no rollover of 2026-02-30); a value without an offset
 * is taken as UTC. Gives the canonical RFC 3339 UTC form, or why the value cannot be published.
 */
export function parseStrictDate(value: string): DateResult {
  // Reasons name the rule, not the value: they are public on /status, and the value is draft text.
  const unparseable: DateResult = {
    ok: false,
    reason: 'unparseable date: write a real date as 2026-03-01 or 2026-03-01T09:30:00+01:00 (ISO 8601)',
  };
  const match = ISO_DATE.exec(value.trim());
  if (!match) return unparseable;
  const sign = match[7] === '-' ? -1 : 1;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = [
    ...match.slice(1, 7),
    ...match.slice(8, 10),
  ].map((part: string | undefined) => Number(part ?? 0));
  const inRange =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours < 24 &&
    offsetMinutes < 60;
  if (!inRange) return unparseable;
  const local = new Date(0);
  // Date.UTC would read years 0–99 as 1900–1999; setUTCFullYear takes the year as written.
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second);
  const offsetMs = sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const instant = new Date(local.getTime() - offsetMs);
  const utcYear = instant.getUTCFullYear();
  if (utcYear < FIRST_YEAR || utcYear > LAST_YEAR)
    return {
      ok: false,
      reason: `date falls in the year ${utcYear} (UTC); RSS, Atom and JSON Feed can only carry years ${FIRST_YEAR}–${LAST_YEAR}`,
    };
  return { ok: true, date: toRfc3339(instant) };
}

function daysInMonth(year: number, month: number): number {
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return lastDay.getUTCDate();
}
