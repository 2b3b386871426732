import type { PhotoCredit } from './article.js';

/** Splits "www.globallookpress.com © Alexei Druzhinin/ZUMAPRESS.com" into source and name. */
export function parseCredit(text: string): PhotoCredit | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const mark = trimmed.indexOf('©');
  if (mark === -1) return { source: trimmed, name: '' };
  return { source: trimmed.slice(0, mark).trim(), name: trimmed.slice(mark + 1).trim() };
}

const squash = (text: string) => text.replace(/\s+/gu, ' ').trim();

/**
 * The scrape glues the photo credit onto a copy of the title. Returns the credit when `line`
 * is such a photo line for `title` (an exact repeat with nothing glued on yields an empty credit).
 */
export function creditFromPhotoLine(line: string, title: string): { credit?: PhotoCredit } | undefined {
  const squashedLine = squash(line);
  const squashedTitle = squash(title);
  if (!squashedLine.startsWith(squashedTitle)) return undefined;
  const credit = parseCredit(squashedLine.slice(squashedTitle.length));
  return credit ? { credit } : {};
}
