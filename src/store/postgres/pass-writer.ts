import type pg from 'pg';
import type { NormalisedEntry } from '../../entries/entry.js';
import { SlugAllocator } from '../../entries/slug.js';
import { entryToRow, type EntryRow } from '../entry-rows.js';
import { PassChanges, type TermColumns } from '../pass-changes.js';
import {
  changedScopeKeys,
  folderOf,
  KEPT_PASSES,
  storedSummary,
  type CommitResult,
  type PassSummary,
  type PassWriter,
  type SourceFile,
} from '../store.js';

/** The channel every commit is announced on; replicas LISTEN on it. */
export const COMMIT_CHANNEL = 'feed_commits';
// PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; past this a notice says only "everything moved".
const MAX_PAYLOAD_BYTES = 7900;

// Each column with the PostgreSQL type its unnest() array is cast to.
const ENTRY_COLUMNS: ReadonlyArray<readonly [keyof EntryRow, string]> = [
  ['key', 'text'],
  ['source_path', 'text'],
  ['slug', 'text'],
  ['title', 'text'],
  ['summary', 'text'],
  ['paragraphs_json', 'text'],
  ['category_name', 'text'],
  ['category_slug', 'text'],
  ['tags_json', 'text'],
  ['author', 'text'],
  ['image', 'text'],
  ['image_type', 'text'],
  ['image_length', 'bigint'],
  ['credit_source', 'text'],
  ['credit_name', 'text'],
  ['external_url', 'text'],
  ['audio_json', 'text'],
  ['published', 'text'],
  ['updated', 'text'],
  ['language', 'text'],
];
const UPSERT_ENTRIES = `INSERT INTO entries (${ENTRY_COLUMNS.map(([column]) => column).join(', ')})
  SELECT * FROM unnest(${ENTRY_COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
  ON CONFLICT (key) DO UPDATE SET ${ENTRY_COLUMNS.filter(([column]) => column !== 'key' && column !== 'slug')
    .map(([column]) => `${column} = excluded.${column}`)
    .join(', ')}`;
const FILE_COLUMNS: ReadonlyArray<readonly [keyof SourceFile, string]> = [
  ['path', 'text'],
  ['hash', 'text'],
  ['size', 'bigint'],
  ['mtimeMs', 'float8'],
  ['entryKey', 'text'],
  ['firstSeen', 'text'],
  ['lastChanged', 'text'],
  ['rejection', 'text'],
];
const SAVE_FILES = `INSERT INTO source_files (path, hash, size, mtime_ms, entry_key, first_seen, last_changed, rejection)
  SELECT * FROM unnest(${FILE_COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
  ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, size = excluded.size, mtime_ms = excluded.mtime_ms,
    entry_key = excluded.entry_key, last_changed = excluded.last_changed, rejection = excluded.rejection`;
// Last-Modified must move forward with every change, even two commits in one second or a clock set back.
const RECORD_SCOPES = `INSERT INTO scope_versions (scope, version, changed_at)
  SELECT scope, $2, $3 FROM unnest($1::text[]) AS scope
  ON CONFLICT (scope) DO UPDATE SET version = excluded.version,
    changed_at = GREATEST(excluded.changed_at, scope_versions.changed_at + 1)`;
// `base` and `base-…` for many bases at once: '.' is the character after '-', so each is an index range scan.
const SLUGS_OF_BASES = `SELECT base, slug FROM unnest($1::text[]) AS base
  JOIN entries ON slug = base OR (slug > base || '-' AND slug < base || '.')`;
/** Writes are sent in batches of this many files: a round trip per batch, not several per file. */
const BATCH_SIZE = 500;

/** Columns of rows as one array per column, for unnest(). */
function columnArrays<Row>(rows: readonly Row[], columns: ReadonlyArray<readonly [keyof Row, string]>): unknown[][] {
  return columns.map(([column]) => rows.map((row) => row[column] ?? null));
}

/** The NOTIFY payload of a commit: its version and the scopes it moved, or "all" when they would not fit. */
export function commitNotice(result: CommitResult): string {
  const listed = JSON.stringify({ version: result.version, scopes: changedScopeKeys(result) });
  return Buffer.byteLength(listed) < MAX_PAYLOAD_BYTES
    ? listed
    : JSON.stringify({ version: result.version, scopes: 'all' });
}

interface PendingUpsert {
  readonly file: SourceFile;
  readonly entry: NormalisedEntry;
  readonly previousKey: string | null;
}

/**
 * One pass's transaction on a client of its own; readers use the pool and see only commits. Writes are queued
 * and sent in batches (set-based statements over unnest() arrays), since one round trip per write would make a
 * 100,000-article pass wait on the network for most of its time.
 */
export class PostgresPassWriter implements PassWriter {
  private readonly changes = new PassChanges();
  private readonly slugs: SlugAllocator;
  private upserts: PendingUpsert[] = [];
  private files = new Map<string, SourceFile>();
  private removals: string[] = [];
  /** Folder fingerprints to keep, or to drop (null): each file record written drops its folder's. */
  private folderStamps = new Map<string, string | null>();
  private finished = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly onFinish: () => void,
  ) {
    this.slugs = new SlugAllocator(async (bases) => {
      const taken = new Map<string, string[]>();
      for (const { base, slug } of (await client.query<{ base: string; slug: string }>(SLUGS_OF_BASES, [bases])).rows)
        taken.set(base, [...(taken.get(base) ?? []), slug]);
      return taken;
    });
  }

  async saveSourceFile(file: SourceFile): Promise<void> {
    this.files.set(file.path, file);
    this.folderStamps.set(folderOf(file.path), null);
    await this.flushIfFull();
  }

  async upsert(file: SourceFile, entry: NormalisedEntry, previousKey: string | null): Promise<void> {
    this.upserts.push({ file, entry, previousKey });
    this.folderStamps.set(folderOf(file.path), null);
    await this.flushIfFull();
  }

  async remove(path: string): Promise<void> {
    this.removals.push(path);
    this.folderStamps.set(folderOf(path), null);
    await this.flushIfFull();
  }

  async saveFolderStamp(folder: string, stamp: string): Promise<void> {
    this.folderStamps.set(folder, stamp);
    await this.flushIfFull();
  }

  /** Read without flushing (a pass asks at every few files): what is sent so far, then what is still queued. */
  async entryHolders(keys: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await this.client.query<{ key: string; source_path: string }>(
      'SELECT key, source_path FROM entries WHERE key = ANY($1::text[])',
      [keys],
    );
    const holders = new Map(rows.map((row) => [row.key, row.source_path]));
    const asked = new Set(keys);
    // As flush applies them: upserts (a file moving to a new id lets its old one go), then retractions.
    for (const { file, entry, previousKey } of this.upserts) {
      if (previousKey !== null && previousKey !== entry.key && holders.get(previousKey) === file.path)
        holders.delete(previousKey);
      if (asked.has(entry.key)) holders.set(entry.key, file.path);
    }
    if (this.removals.length > 0) {
      const removed = new Set(this.removals);
      for (const [key, holder] of holders) if (removed.has(holder)) holders.delete(key);
    }
    return holders;
  }

  private async flushIfFull(): Promise<void> {
    if (this.upserts.length + this.files.size + this.removals.length + this.folderStamps.size >= BATCH_SIZE)
      await this.flush();
  }

  /** Sends what is queued, in the order a pass makes its writes: entries, then file records, then retractions. */
  private async flush(): Promise<void> {
    const upserts = this.upserts;
    const removals = this.removals;
    this.upserts = [];
    this.removals = [];
    if (upserts.length > 0) await this.writeEntries(upserts);
    for (const { file } of upserts) this.files.set(file.path, file);
    const files = [...this.files.values()];
    this.files = new Map();
    if (files.length > 0) await this.client.query(SAVE_FILES, columnArrays(files, FILE_COLUMNS));
    if (removals.length > 0) {
      const removed = await this.client.query<TermColumns>(
        'DELETE FROM entries WHERE source_path = ANY($1::text[]) RETURNING category_slug, tags_json',
        [removals],
      );
      for (const row of removed.rows) this.changes.touchRow(row);
      await this.client.query('DELETE FROM source_files WHERE path = ANY($1::text[])', [removals]);
    }
    const folderStamps = [...this.folderStamps];
    this.folderStamps = new Map();
    const dropped = folderStamps.filter(([, stamp]) => stamp === null).map(([folder]) => folder);
    const kept = folderStamps.filter((entry): entry is [string, string] => entry[1] !== null);
    if (dropped.length > 0)
      await this.client.query('DELETE FROM folder_stamps WHERE folder = ANY($1::text[])', [dropped]);
    if (kept.length > 0)
      await this.client.query(
        `INSERT INTO folder_stamps (folder, stamp) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (folder) DO UPDATE SET stamp = excluded.stamp`,
        [kept.map(([folder]) => folder), kept.map(([, stamp]) => stamp)],
      );
  }

  private async writeEntries(upserts: readonly PendingUpsert[]): Promise<void> {
    // A file's old key goes only while the row is still the file's: when two files swap ids, the other may hold it.
    const renamed = upserts.filter(({ entry, previousKey }) => previousKey !== null && previousKey !== entry.key);
    if (renamed.length > 0) {
      const removed = await this.client.query<TermColumns>(
        `DELETE FROM entries USING unnest($1::text[], $2::text[]) AS old (key, path)
         WHERE entries.key = old.key AND entries.source_path = old.path RETURNING category_slug, tags_json`,
        [renamed.map(({ previousKey }) => previousKey), renamed.map(({ file }) => file.path)],
      );
      for (const row of removed.rows) this.changes.touchRow(row);
    }
    const keys = upserts.map(({ entry }) => entry.key);
    const existing = new Map(
      (
        await this.client.query<TermColumns & { key: string; slug: string }>(
          'SELECT key, slug, category_slug, tags_json FROM entries WHERE key = ANY($1::text[])',
          [keys],
        )
      ).rows.map((row) => [row.key, row]),
    );
    for (const row of existing.values()) this.changes.touchRow(row);
    await this.slugs.prepare(
      upserts.filter(({ entry }) => !existing.has(entry.key)).map(({ entry }) => entry.slugBase),
    );
    const rows = upserts.map(({ entry }) => {
      this.changes.touchEntry(entry.category.slug, entry.tags);
      // Links are promises to readers: an entry keeps the slug it was first published under.
      return entryToRow(entry, existing.get(entry.key)?.slug ?? this.slugs.allocate(entry.slugBase));
    });
    await this.client.query(UPSERT_ENTRIES, columnArrays(rows, ENTRY_COLUMNS));
    await this.client.query('DELETE FROM entry_tags WHERE entry_key = ANY($1::text[])', [keys]);
    const tagged = upserts.flatMap(({ entry }) => entry.tags.map((tag) => ({ key: entry.key, ...tag })));
    if (tagged.length > 0)
      await this.client.query(
        `INSERT INTO entry_tags (entry_key, tag_slug, tag_name) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT DO NOTHING`,
        [tagged.map((tag) => tag.key), tagged.map((tag) => tag.slug), tagged.map((tag) => tag.name)],
      );
  }

  async commit(summary: PassSummary): Promise<CommitResult> {
    await this.flush();
    await this.client.query('INSERT INTO passes (summary_json) VALUES ($1)', [storedSummary(summary)]);
    await this.client.query('DELETE FROM passes WHERE id <= (SELECT MAX(id) FROM passes) - $1', [KEPT_PASSES]);
    const bump = this.changes.any ? ' + 1' : '';
    const { rows } = await this.client.query<{ value: number }>(
      `UPDATE store_meta SET value = value${bump} WHERE name = 'version' RETURNING value`,
    );
    const result = this.changes.result(rows[0]?.value ?? 0);
    if (this.changes.any) {
      await this.client.query(RECORD_SCOPES, [changedScopeKeys(result), result.version, Math.floor(Date.now() / 1000)]);
      // Delivered at commit, to every listening replica, and never if the transaction rolls back.
      await this.client.query('SELECT pg_notify($1, $2)', [COMMIT_CHANNEL, commitNotice(result)]);
    }
    await this.client.query('COMMIT');
    this.finish();
    return result;
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    try {
      await this.client.query('ROLLBACK');
    } finally {
      this.finish();
    }
  }

  private finish(): void {
    this.finished = true;
    this.onFinish();
  }
}
