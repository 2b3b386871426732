import type pg from 'pg';
import type { NormalisedEntry } from '../../entries/entry.js';
import { SlugAllocator } from '../../entries/slug.js';
import { entryToRow, type EntryRow } from '../entry-rows.js';
import { PassChanges, type TermColumns } from '../pass-changes.js';
import { changedScopeKeys, type CommitResult, type PassSummary, type PassWriter, type SourceFile } from '../store.js';

const KEPT_PASSES = 100;
/** The channel every commit is announced on; replicas LISTEN on it. */
export const COMMIT_CHANNEL = 'feed_commits';
// PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; past this a notice says only "everything moved".
const MAX_PAYLOAD_BYTES = 7900;

const ENTRY_COLUMNS: ReadonlyArray<keyof EntryRow> = [
  'key', 'source_path', 'slug', 'title', 'summary', 'paragraphs_json', 'category_name', 'category_slug', 'tags_json',
  'author', 'image', 'image_type', 'image_length', 'credit_source', 'credit_name', 'external_url', 'audio_json',
  'published', 'updated', 'language',
];
const UPSERT_ENTRY = `INSERT INTO entries (${ENTRY_COLUMNS.join(', ')})
  VALUES (${ENTRY_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')})
  ON CONFLICT (key) DO UPDATE SET ${ENTRY_COLUMNS.filter((column) => column !== 'key' && column !== 'slug')
    .map((column) => `${column} = excluded.${column}`)
    .join(', ')}`;
const SAVE_FILE = `INSERT INTO source_files (path, hash, size, mtime_ms, entry_key, first_seen, last_changed, rejection)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, size = excluded.size, mtime_ms = excluded.mtime_ms,
    entry_key = excluded.entry_key, last_changed = excluded.last_changed, rejection = excluded.rejection`;
// Last-Modified must move forward with every change, even two commits in one second or a clock set back.
const RECORD_SCOPES = `INSERT INTO scope_versions (scope, version, changed_at)
  SELECT scope, $2, $3 FROM unnest($1::text[]) AS scope
  ON CONFLICT (scope) DO UPDATE SET version = excluded.version,
    changed_at = GREATEST(excluded.changed_at, scope_versions.changed_at + 1)`;

/** The NOTIFY payload of a commit: its version and the scopes it moved, or "all" when they would not fit. */
export function commitNotice(result: CommitResult): string {
  const listed = JSON.stringify({ version: result.version, scopes: changedScopeKeys(result) });
  return Buffer.byteLength(listed) < MAX_PAYLOAD_BYTES ? listed : JSON.stringify({ version: result.version, scopes: 'all' });
}

const fileParams = (file: SourceFile) => [
  file.path, file.hash, file.size, file.mtimeMs, file.entryKey, file.firstSeen, file.lastChanged, file.rejection,
];

/** One pass's transaction on a client of its own; readers use the pool and see only commits. */
export class PostgresPassWriter implements PassWriter {
  private readonly changes = new PassChanges();
  private readonly slugs: SlugAllocator;
  private finished = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly onFinish: () => void,
  ) {
    this.slugs = new SlugAllocator(async (base) =>
      (
        await client.query<{ slug: string }>("SELECT slug FROM entries WHERE slug = $1 OR (slug > $1 || '-' AND slug < $1 || '.')", [base])
      ).rows.map((row) => row.slug),
    );
  }

  async saveSourceFile(file: SourceFile): Promise<void> {
    await this.client.query(SAVE_FILE, fileParams(file));
  }

  async upsert(file: SourceFile, entry: NormalisedEntry, previousKey: string | null): Promise<void> {
    if (previousKey !== null && previousKey !== entry.key) {
      const removed = await this.client.query<TermColumns>('DELETE FROM entries WHERE key = $1 RETURNING category_slug, tags_json', [previousKey]);
      for (const row of removed.rows) this.changes.touchRow(row);
    }
    const existing = (
      await this.client.query<TermColumns & { slug: string }>('SELECT slug, category_slug, tags_json FROM entries WHERE key = $1', [entry.key])
    ).rows[0];
    if (existing) this.changes.touchRow(existing);
    this.changes.touchEntry(entry.category.slug, entry.tags);
    // Links are promises to readers: an entry keeps the slug it was first published under.
    const row = entryToRow(entry, existing?.slug ?? (await this.slugs.allocate(entry.slugBase)));
    await this.client.query(UPSERT_ENTRY, ENTRY_COLUMNS.map((column) => row[column]));
    await this.client.query('DELETE FROM entry_tags WHERE entry_key = $1', [entry.key]);
    if (entry.tags.length > 0)
      await this.client.query('INSERT INTO entry_tags (entry_key, tag_slug, tag_name) SELECT $1, * FROM unnest($2::text[], $3::text[])', [
        entry.key,
        entry.tags.map((tag) => tag.slug),
        entry.tags.map((tag) => tag.name),
      ]);
    await this.saveSourceFile(file);
  }

  async remove(path: string): Promise<void> {
    const removed = await this.client.query<TermColumns>('DELETE FROM entries WHERE source_path = $1 RETURNING category_slug, tags_json', [path]);
    for (const row of removed.rows) this.changes.touchRow(row);
    await this.client.query('DELETE FROM source_files WHERE path = $1', [path]);
  }

  async commit(summary: PassSummary): Promise<CommitResult> {
    await this.client.query('INSERT INTO passes (summary_json) VALUES ($1)', [JSON.stringify(summary)]);
    await this.client.query('DELETE FROM passes WHERE id <= (SELECT MAX(id) FROM passes) - $1', [KEPT_PASSES]);
    const bump = this.changes.any ? ' + 1' : '';
    const { rows } = await this.client.query<{ value: number }>(
      `UPDATE store_meta SET value = value${bump} WHERE name = 'version' RETURNING value`,
    );
    const result = this.changes.result(Number(rows[0]?.value ?? 0));
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
