import type Database from 'better-sqlite3';
import type { NormalisedEntry } from '../../entries/entry.js';
import { SlugAllocator } from '../../entries/slug.js';
import { entryToRow } from '../entry-rows.js';
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

function statements(db: Database.Database) {
  return {
    saveFile: db.prepare(
      `INSERT INTO source_files (path, hash, size, mtime_ms, entry_key, first_seen, last_changed, rejection)
       VALUES (@path, @hash, @size, @mtimeMs, @entryKey, @firstSeen, @lastChanged, @rejection)
       ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, size = excluded.size, mtime_ms = excluded.mtime_ms,
         entry_key = excluded.entry_key, last_changed = excluded.last_changed, rejection = excluded.rejection`,
    ),
    deleteFile: db.prepare('DELETE FROM source_files WHERE path = ?'),
    saveFolderStamp: db.prepare(
      'INSERT INTO folder_stamps (folder, stamp) VALUES (?, ?) ON CONFLICT (folder) DO UPDATE SET stamp = excluded.stamp',
    ),
    dropFolderStamp: db.prepare('DELETE FROM folder_stamps WHERE folder = ?'),
    entryOfKey: db.prepare('SELECT slug, category_slug, tags_json FROM entries WHERE key = ?'),
    holderOfKey: db.prepare('SELECT source_path FROM entries WHERE key = ?').pluck(),
    // Only while the row is still the file's: when two files swap ids, the other file may already hold it.
    deleteEntryOfKey: db.prepare(
      'DELETE FROM entries WHERE key = ? AND source_path = ? RETURNING category_slug, tags_json',
    ),
    deleteEntriesOfPath: db.prepare('DELETE FROM entries WHERE source_path = ? RETURNING category_slug, tags_json'),
    // `base` and `base-…`: '.' is the character after '-', so this is an index range scan.
    slugsOfBase: db.prepare("SELECT slug FROM entries WHERE slug = ? OR (slug > ? || '-' AND slug < ? || '.')").pluck(),
    upsertEntry: db.prepare(
      `INSERT INTO entries (key, source_path, slug, title, summary, paragraphs_json, category_name,
         category_slug, tags_json, author, image, image_type, image_length, credit_source, credit_name, external_url, audio_json, published, updated, language)
       VALUES (@key, @source_path, @slug, @title, @summary, @paragraphs_json, @category_name,
         @category_slug, @tags_json, @author, @image, @image_type, @image_length, @credit_source, @credit_name, @external_url, @audio_json, @published, @updated, @language)
       ON CONFLICT (key) DO UPDATE SET source_path = excluded.source_path, title = excluded.title,
         summary = excluded.summary, paragraphs_json = excluded.paragraphs_json,
         category_name = excluded.category_name, category_slug = excluded.category_slug, tags_json = excluded.tags_json,
         author = excluded.author, image = excluded.image, image_type = excluded.image_type,
         image_length = excluded.image_length, credit_source = excluded.credit_source,
         credit_name = excluded.credit_name, external_url = excluded.external_url, audio_json = excluded.audio_json, published = excluded.published,
         updated = excluded.updated, language = excluded.language`,
    ),
    deleteTags: db.prepare('DELETE FROM entry_tags WHERE entry_key = ?'),
    insertTag: db.prepare('INSERT INTO entry_tags (entry_key, tag_slug, tag_name) VALUES (?, ?, ?)'),
    insertPass: db.prepare('INSERT INTO passes (summary_json) VALUES (?)'),
    prunePasses: db.prepare('DELETE FROM passes WHERE id <= (SELECT MAX(id) FROM passes) - ?'),
    bumpVersion: db.prepare("UPDATE store_meta SET value = value + 1 WHERE name = 'version'"),
    version: db.prepare("SELECT value FROM store_meta WHERE name = 'version'"),
    // Last-Modified must move forward with every change, even two commits in one second (HTTP dates are whole
    // seconds) or a clock set back: a scope's time is now, or one second past its previous time.
    recordScope: db.prepare(
      `INSERT INTO scope_versions (scope, version, changed_at) VALUES (?, ?, ?)
       ON CONFLICT (scope) DO UPDATE SET version = excluded.version,
         changed_at = MAX(excluded.changed_at, scope_versions.changed_at + 1)`,
    ),
  };
}

/**
 * Indexes that no statement of a pass reads (they serve feeds, pages and the next pass's comparison), and that
 * its writes would otherwise update one row at a time, in random order.
 */
const INDEXES_ONLY_READERS_USE = [
  'entries_newest',
  'entries_category_newest',
  'entries_category_names',
  'source_files_stamps',
];

/**
 * A pass into an empty store (the first of a large archive) drops those indexes inside its transaction and builds
 * them once before it commits: sorting a million rows once costs a fraction of a million scattered inserts. Readers
 * see neither the drop nor the rows until the commit, and a rollback restores both. Returns the statements that
 * build them again.
 */
function deferIndexesOfEmptyStore(db: Database.Database): string[] {
  if (db.prepare('SELECT 1 FROM entries LIMIT 1').get() !== undefined) return [];
  const statements = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(INDEXES_ONLY_READERS_USE)) as Array<{ name: string; sql: string }>;
  for (const { name } of statements) db.exec(`DROP INDEX ${name}`);
  return statements.map(({ sql }) => sql);
}

// SQLite sorts a new index in up to a page cache's worth of memory before it spills sorted runs to a temporary
// file: with the writer's 128 MB cache that is up to 128 MB on top of the cache. With 16 MB the build is no slower.
const INDEX_BUILD_CACHE_KIB = 16 * 1024;

function buildIndexes(db: Database.Database, statements: readonly string[]): void {
  if (statements.length === 0) return;
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
  try {
    for (const createIndex of statements) db.exec(createIndex);
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}

/** One pass's transaction on the writer connection; readers use another connection and see only commits. */
export class SqlitePassWriter implements PassWriter {
  private readonly sql: ReturnType<typeof statements>;
  private readonly changes = new PassChanges();
  private readonly slugs: SlugAllocator;
  private finished = false;
  /** Folders whose fingerprint this pass has dropped and not kept again since: a million writes, a thousand drops. */
  private readonly unstamped = new Set<string>();
  /** The statements that build again the indexes this pass dropped (see deferIndexesOfEmptyStore). */
  private readonly deferredIndexes: readonly string[];

  constructor(
    private readonly db: Database.Database,
    private readonly onFinish: () => void,
  ) {
    this.sql = statements(db);
    this.slugs = new SlugAllocator(
      async (bases) => new Map(bases.map((base) => [base, this.sql.slugsOfBase.all(base, base, base) as string[]])),
    );
    db.exec('BEGIN IMMEDIATE');
    try {
      this.deferredIndexes = deferIndexesOfEmptyStore(db);
    } catch (error) {
      // Nobody else could end this transaction: it would hold the write lock until the connection is replaced.
      db.exec('ROLLBACK');
      throw error;
    }
  }

  async saveSourceFile(file: SourceFile): Promise<void> {
    this.saveFile(file);
  }

  async saveFolderStamp(folder: string, stamp: string): Promise<void> {
    this.sql.saveFolderStamp.run(folder, stamp);
    this.unstamped.delete(folder);
  }

  private saveFile(file: SourceFile): void {
    this.sql.saveFile.run(file);
    this.dropFolderStamp(file.path);
  }

  /** Every write of a file record drops its folder's fingerprint: the records no longer are what it was taken of. */
  private dropFolderStamp(path: string): void {
    const folder = folderOf(path);
    if (this.unstamped.has(folder)) return;
    this.sql.dropFolderStamp.run(folder);
    this.unstamped.add(folder);
  }

  async upsert(file: SourceFile, entry: NormalisedEntry, previousKey: string | null): Promise<void> {
    // A file whose front matter id changed now publishes under another key: drop the old one.
    if (previousKey !== null && previousKey !== entry.key)
      for (const row of this.sql.deleteEntryOfKey.all(previousKey, file.path) as TermColumns[])
        this.changes.touchRow(row);
    const existing = this.sql.entryOfKey.get(entry.key) as (TermColumns & { slug: string }) | undefined;
    if (existing) this.changes.touchRow(existing);
    this.changes.touchEntry(entry.category.slug, entry.tags);
    // Links are promises to readers: an entry keeps the slug it was first published under.
    if (!existing) await this.slugs.prepare([entry.slugBase]);
    const slug = existing?.slug ?? this.slugs.allocate(entry.slugBase);
    this.sql.upsertEntry.run(entryToRow(entry, slug));
    this.sql.deleteTags.run(entry.key);
    for (const tag of entry.tags) this.sql.insertTag.run(entry.key, tag.slug, tag.name);
    this.saveFile(file);
  }

  async entryHolders(keys: readonly string[]): Promise<Map<string, string>> {
    const holders = new Map<string, string>();
    for (const key of keys) {
      const holder = this.sql.holderOfKey.get(key) as string | undefined;
      if (holder !== undefined) holders.set(key, holder);
    }
    return holders;
  }

  async remove(path: string): Promise<void> {
    for (const row of this.sql.deleteEntriesOfPath.all(path) as TermColumns[]) this.changes.touchRow(row);
    this.sql.deleteFile.run(path);
    this.dropFolderStamp(path);
  }

  async commit(summary: PassSummary): Promise<CommitResult> {
    buildIndexes(this.db, this.deferredIndexes);
    this.sql.insertPass.run(storedSummary(summary));
    this.sql.prunePasses.run(KEPT_PASSES);
    if (this.changes.any) this.sql.bumpVersion.run();
    const result = this.changes.result((this.sql.version.get() as { value: number }).value);
    if (this.changes.any) {
      const now = Math.floor(Date.now() / 1000);
      for (const scope of changedScopeKeys(result)) this.sql.recordScope.run(scope, result.version, now);
    }
    this.db.exec('COMMIT');
    this.finish();
    return result;
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.finish();
  }

  private finish(): void {
    this.finished = true;
    this.onFinish();
  }
}
