import type { AudioEnclosure } from '../articles/article.js';
import type { Entry, NormalisedEntry, Term } from '../entries/entry.js';
import { isPublished, type StoredStamp } from './store.js';

/** An `entries` row, column for column, as both stores keep it. */
export interface EntryRow {
  key: string;
  source_path: string;
  slug: string;
  title: string;
  summary: string;
  paragraphs_json: string;
  category_name: string;
  category_slug: string;
  tags_json: string;
  author: string;
  image: string | null;
  image_type: string | null;
  image_length: number | null;
  credit_source: string | null;
  credit_name: string | null;
  external_url: string | null;
  audio_json: string | null;
  published: string;
  updated: string;
  language: string;
}

export function rowToEntry(row: EntryRow): Entry {
  return {
    key: row.key,
    sourcePath: row.source_path,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    paragraphs: JSON.parse(row.paragraphs_json) as string[],
    category: { name: row.category_name, slug: row.category_slug },
    tags: JSON.parse(row.tags_json) as Term[],
    author: row.author,
    ...(row.image ? { image: row.image } : {}),
    ...(row.image_type ? { imageType: row.image_type } : {}),
    ...(row.image_length ? { imageLength: row.image_length } : {}),
    ...(row.credit_source !== null ? { credit: { source: row.credit_source, name: row.credit_name ?? '' } } : {}),
    ...(row.external_url ? { externalUrl: row.external_url } : {}),
    ...(row.audio_json ? { audio: JSON.parse(row.audio_json) as AudioEnclosure } : {}),
    published: row.published,
    updated: row.updated,
    language: row.language,
  };
}

export function entryToRow(entry: NormalisedEntry, slug: string): EntryRow {
  return {
    key: entry.key,
    source_path: entry.sourcePath,
    slug,
    title: entry.title,
    summary: entry.summary,
    paragraphs_json: JSON.stringify(entry.paragraphs),
    category_name: entry.category.name,
    category_slug: entry.category.slug,
    tags_json: JSON.stringify(entry.tags),
    author: entry.author,
    image: entry.image ?? null,
    image_type: entry.imageType ?? null,
    image_length: entry.imageLength ?? null,
    credit_source: entry.credit?.source ?? null,
    credit_name: entry.credit?.name ?? null,
    external_url: entry.externalUrl ?? null,
    audio_json: entry.audio ? JSON.stringify(entry.audio) : null,
    published: entry.published,
    updated: entry.updated,
    language: entry.language,
  };
}

/**
 * The stamps of file records, read alike from both stores as arrays (StampColumns): only columns of the
 * source_files_stamps index, since a full pass reads a million of them.
 */
export const SELECT_STAMPS = 'SELECT path, size, mtime_ms, entry_key, rejection IS NOT NULL FROM source_files';

/** A stamp as both stores read it: path, size, mtime_ms, entry_key, and whether rejection is set. */
export type StampColumns = [path: string, size: number, mtimeMs: number, entryKey: string | null, rejected: unknown];

export const stampOf = ([path, size, mtimeMs, entryKey, rejected]: StampColumns): StoredStamp => ({
  path,
  size,
  mtimeMs,
  entryKey,
  // SQLite answers 1 or 0, PostgreSQL true or false.
  published: isPublished(entryKey, Boolean(rejected)),
});
