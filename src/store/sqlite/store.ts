import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Entry } from '../../entries/entry.js';
import { pollCommits } from '../commit-watch.js';
import {
  filterScopeKey,
  UNCHANGED_SCOPE,
  type CommitResult,
  type CommitWatch,
  type EntryFilter,
  type FeedPage,
  type PassSummary,
  type PassWriter,
  type RejectedFile,
  type ScopeVersion,
  type SourceFile,
  type Store,
  type StoreChange,
  type TermCount,
  type StoredStamp,
} from '../store.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { SqlitePassWriter } from './pass-writer.js';
import { rowToEntry, SELECT_STAMPS, stampOf, type EntryRow, type StampColumns } from '../entry-rows.js';

function filterClause(filter: EntryFilter): { where: string; params: string[] } {
  if (filter.tag !== undefined)
    return { where: 'WHERE key IN (SELECT entry_key FROM entry_tags WHERE tag_slug = ?)', params: [filter.tag] };
  if (filter.category !== undefined) return { where: 'WHERE category_slug = ?', params: [filter.category] };
  return { where: '', params: [] };
}

// Past this many changed scopes a change says "all": re-reading every cached scope is then the cheaper way.
const MAX_LISTED_SCOPES = 10_000;
/**
 * Terms from `spellingCounts` (slug, name, count, newest: one row per spelling of a slug): entries may spell one
 * slug differently (Србија / СРБИЈА / Srbija), and each edition names the term in its own script.
 */
function termCounts(db: Database.Database, spellingCounts: string, slugs?: readonly string[]): TermCount[] {
  const rows = db
    .prepare(
      `SELECT slug, json_group_array(name ORDER BY newest DESC, name) AS spellings, SUM(count) AS count
       FROM (${spellingCounts}) GROUP BY slug ORDER BY slug`,
    )
    .all(...(slugs ? [JSON.stringify(slugs)] : [])) as Array<{ slug: string; spellings: string; count: number }>;
  return rows.map(({ slug, spellings, count }) => {
    const names = JSON.parse(spellings) as string[];
    return { slug, name: names[0] ?? slug, count, spellings: names };
  });
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let step = current; step < SQLITE_MIGRATIONS.length; step += 1) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[step] ?? '');
      db.pragma(`user_version = ${step + 1}`);
    })();
  }
}

function connect(file: string): Database.Database {
  const db = new Database(file);
  // An entry with its paragraphs is about 4 KB: in 4 KiB pages each spilled into an overflow page. Applies to a new
  // database only (set before WAL mode fixes it); an existing one keeps its pages.
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

function openWriter(file: string): Database.Database {
  const writer = connect(file);
  // A pass writes in one long transaction: keep its working set in memory rather than spilling pages. At a million
  // entries the indexes written in random order (slugs, ids) outgrow 64 MB: a first pass took 381 s with 64 MB and
  // 207 s with 128 MB, peaking at 352 and 415 MB of RSS.
  writer.pragma('cache_size = -131072');
  // No temp_store = MEMORY: temporary data (the sort that builds an index, see SqlitePassWriter) goes to SQLite's
  // temporary files, as on the readers. In memory it grew with the archive: 75 MB more at the end of a first pass
  // over a million.

  // Commits do not fold the WAL into the database themselves (SQLite's automatic checkpoint would, inside COMMIT):
  // after a first pass at a million articles that copy takes 20–30 s, and readers need not wait for it. The
  // store folds it right after the commit is out (see SqliteStore.foldWal). A WAL grown by a large pass is cut back
  // to this size once folded, rather than keeping the size of the whole archive on disk.
  writer.pragma('wal_autocheckpoint = 0');
  writer.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  migrate(writer);
  return writer;
}

interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

function identityOf(file: string): FileIdentity | undefined {
  try {
    const { dev, ino } = fs.statSync(file);
    return { dev, ino };
  } catch {
    return undefined;
  }
}

const sameFile = (a: FileIdentity | undefined, b: FileIdentity | undefined) =>
  a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;

// Where SQLite keeps a WAL database's recent commits and their index, named after the database file.
const COMPANION_SUFFIXES = ['-wal', '-shm'] as const;

/** The database file and its companions as they were when the connections were opened on them. */
interface OpenedFiles {
  readonly database: FileIdentity | undefined;
  readonly companions: ReadonlyMap<string, FileIdentity | undefined>;
}

const identifyFiles = (file: string): OpenedFiles => ({
  database: identityOf(file),
  companions: new Map(COMPANION_SUFFIXES.map((suffix) => [suffix, identityOf(`${file}${suffix}`)])),
});

/**
 * Deletes the -wal and -shm files of the database file that was deleted or replaced, if they are still there: next
 * to a new file, SQLite would take them for its own and replay the old database's pages into it.
 */
function removeStaleCompanions(file: string, opened: OpenedFiles): void {
  for (const suffix of COMPANION_SUFFIXES)
    if (sameFile(identityOf(`${file}${suffix}`), opened.companions.get(suffix)))
      fs.rmSync(`${file}${suffix}`, { force: true });
}

function hasCommittedPass(file: string): boolean {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
    return probe.prepare('SELECT 1 FROM passes LIMIT 1').get() !== undefined;
  } catch {
    return false;
  } finally {
    probe?.close();
  }
}

const SELECT_SOURCE_FILES = `SELECT path, hash, size, mtime_ms AS mtimeMs, entry_key AS entryKey,
  first_seen AS firstSeen, last_changed AS lastChanged, rejection FROM source_files`;

/** A pass writer that tells its store when the pass committed. */
class ReportingPassWriter extends SqlitePassWriter {
  constructor(
    db: Database.Database,
    onFinish: () => void,
    private readonly onCommitted: () => void,
  ) {
    super(db, onFinish);
  }

  override async commit(summary: PassSummary): Promise<CommitResult> {
    const result = await super.commit(summary);
    this.onCommitted();
    return result;
  }
}

/**
 * The default store: one SQLite file in WAL mode with two connections, so the job's open transaction
 * never blocks nor leaks into what HTTP requests read.
 */
export class SqliteStore implements Store {
  private reader: Database.Database;
  private writer: Database.Database;
  private opened: OpenedFiles;
  /** Why the connections are not on the file at the path any more, until they are moved to it. */
  private lostFile: string | undefined;
  // A pass that did not commit may have failed on the writer connection itself (the file was read-only when it was
  // opened, an I/O error): only a new connection gets over that.
  private writerSuspect = false;
  private activePass: PassWriter | undefined;
  private readonly watches = new Set<CommitWatch>();
  /** A commit whose pages are still only in the WAL (see openWriter). */
  private walToFold = false;

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.writer = openWriter(file);
    this.reader = connect(file);
    this.opened = identifyFiles(file);
  }

  /**
   * Notices the database file deleted or replaced under the open connections, which would go on reading and writing
   * the old file (lost at restart), and moves them to the file at the path. A pass (`forPass`) creates that file if
   * it is missing: it is then empty, so the pass republishes every article. Readers stay on the old file, serving
   * its last state, until a pass has committed to the new one.
   */
  private followDatabaseFile(forPass: boolean): void {
    const current = identityOf(this.file);
    if (sameFile(current, this.opened.database)) return;
    this.lostFile ??=
      `the database file ${this.file} was ${current ? 'replaced' : 'deleted'} while in use; ` +
      'feeds show what it held until a normalise pass has written the file now at that path';
    if (this.activePass || (!forPass && current === undefined)) return;
    removeStaleCompanions(this.file, this.opened);
    if (!forPass && !hasCommittedPass(this.file)) return;
    const lastVersion = this.readVersion();
    this.reader.close();
    this.writer.close();
    this.writer = openWriter(this.file);
    // A new file's versions continue the old one's: a process following commits would miss a change whose version
    // it had already seen in the old file.
    if (current === undefined)
      this.writer
        .prepare("UPDATE store_meta SET value = ? WHERE name = 'version' AND value < ?")
        .run(lastVersion, lastVersion);
    this.reader = connect(this.file);
    this.opened = identifyFiles(this.file);
    this.lostFile = undefined;
    this.writerSuspect = false;
  }

  async sourceStamps(after: string, before: string | undefined, limit: number): Promise<StoredStamp[]> {
    this.followDatabaseFile(true);
    const bounded = before === undefined ? '' : 'AND path < @before';
    const rows = this.reader
      .prepare(`${SELECT_STAMPS} WHERE path > @after ${bounded} ORDER BY path LIMIT @limit`)
      .raw()
      .all({ after, limit, ...(before === undefined ? {} : { before }) }) as StampColumns[];
    return rows.map(stampOf);
  }

  async folderStamp(folder: string): Promise<string | undefined> {
    this.followDatabaseFile(true);
    return this.reader.prepare('SELECT stamp FROM folder_stamps WHERE folder = ?').pluck().get(folder) as
      string | undefined;
  }

  async sourceFiles(paths: readonly string[]): Promise<SourceFile[]> {
    this.followDatabaseFile(true);
    return this.reader
      .prepare(`${SELECT_SOURCE_FILES} WHERE path IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(paths)) as SourceFile[];
  }

  async beginPass(): Promise<PassWriter> {
    if (this.activePass) throw new Error('a normalise pass is already writing');
    this.foldWal();
    this.followDatabaseFile(true);
    if (this.writerSuspect) {
      this.writer.close();
      this.writer = openWriter(this.file);
    }
    this.writerSuspect = true;
    this.activePass = new ReportingPassWriter(
      this.writer,
      () => {
        this.activePass = undefined;
      },
      () => {
        this.writerSuspect = false;
        this.walToFold = true;
        // Once the commit is reported: the caller publishes it first, then this thread copies pages.
        setImmediate(() => this.foldWal());
      },
    );
    return this.activePass;
  }

  /**
   * Copies the committed pages from the WAL into the database file, as far as readers allow (PASSIVE: never waits
   * for one). Should it fail, the next commit's fold or closing the store folds the rest; a checkpoint failing
   * loses nothing, the pages stay in the WAL.
   */
  private foldWal(): void {
    if (!this.walToFold || this.activePass || !this.writer.open) return;
    this.walToFold = false;
    try {
      this.writer.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      this.walToFold = true;
    }
  }

  async version(): Promise<number> {
    // Called every second by the commit watch: the cheap moment to notice the file was deleted or replaced.
    this.followDatabaseFile(false);
    return this.readVersion();
  }

  private readVersion(): number {
    return (this.reader.prepare("SELECT value FROM store_meta WHERE name = 'version'").get() as { value: number })
      .value;
  }

  async changesSince(since: number): Promise<StoreChange> {
    return this.reader.transaction((): StoreChange => {
      const version = this.readVersion();
      const rows = this.reader
        .prepare('SELECT scope, version, changed_at AS changedAt FROM scope_versions WHERE version > ? LIMIT ?')
        .all(since, MAX_LISTED_SCOPES + 1) as Array<ScopeVersion & { scope: string }>;
      if (rows.length > MAX_LISTED_SCOPES) return { version, scopes: 'all' };
      return { version, scopes: new Map(rows.map(({ scope, ...at }) => [scope, at])) };
    })();
  }

  async scopeVersion(scope: string): Promise<ScopeVersion> {
    return this.readScopeVersion(scope);
  }

  private readScopeVersion(scope: string): ScopeVersion {
    const row = this.reader
      .prepare('SELECT version, changed_at AS changedAt FROM scope_versions WHERE scope = ?')
      .get(scope) as ScopeVersion | undefined;
    return row ?? UNCHANGED_SCOPE;
  }

  watchCommits(listener: (change: StoreChange) => void, intervalMs: number): CommitWatch {
    // Another process's commit shows only in the file, so a one-row read each interval is how SQLite learns of it.
    const watch = pollCommits(this, listener, intervalMs);
    this.watches.add(watch);
    return {
      check: () => watch.check(),
      stop: () => {
        watch.stop();
        this.watches.delete(watch);
      },
    };
  }

  problems(): string[] {
    return this.lostFile ? [this.lostFile] : [];
  }

  async listEntries(filter: EntryFilter, limit: number, offset: number): Promise<Entry[]> {
    return this.readEntries(filter, limit, offset);
  }

  private readEntries(filter: EntryFilter, limit: number, offset: number): Entry[] {
    const { where, params } = filterClause(filter);
    const rows = this.reader
      .prepare(`SELECT * FROM entries ${where} ORDER BY published DESC, key LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as EntryRow[];
    return rows.map(rowToEntry);
  }

  async countEntries(filter: EntryFilter): Promise<number> {
    return this.readCount(filter);
  }

  private readCount(filter: EntryFilter): number {
    const { where, params } = filterClause(filter);
    return (this.reader.prepare(`SELECT COUNT(*) AS count FROM entries ${where}`).get(...params) as { count: number })
      .count;
  }

  async feedPage(filter: EntryFilter, limit: number, offset: number): Promise<FeedPage> {
    return this.reader.transaction(() => ({
      total: this.readCount(filter),
      entries: this.readEntries(filter, limit, offset),
      scope: this.readScopeVersion(filterScopeKey(filter)),
    }))();
  }

  async findEntryBySlug(slug: string): Promise<Entry | undefined> {
    const row = this.reader.prepare('SELECT * FROM entries WHERE slug = ?').get(slug) as EntryRow | undefined;
    return row && rowToEntry(row);
  }

  async listTags(slugs?: readonly string[]): Promise<TermCount[]> {
    const only = slugs ? 'WHERE tag_slug IN (SELECT value FROM json_each(?))' : '';
    return termCounts(
      this.reader,
      `SELECT tag_slug AS slug, tag_name AS name, COUNT(*) AS count, MAX(published) AS newest
       FROM entry_tags JOIN entries ON entries.key = entry_tags.entry_key ${only} GROUP BY tag_slug, tag_name`,
      slugs,
    );
  }

  async listCategories(slugs?: readonly string[]): Promise<TermCount[]> {
    const only = slugs ? 'WHERE category_slug IN (SELECT value FROM json_each(?))' : '';
    return termCounts(
      this.reader,
      `SELECT category_slug AS slug, category_name AS name, COUNT(*) AS count, MAX(published) AS newest
       FROM entries ${only} GROUP BY category_slug, category_name`,
      slugs,
    );
  }

  async lastPass(): Promise<PassSummary | undefined> {
    const row = this.reader.prepare('SELECT summary_json FROM passes ORDER BY id DESC LIMIT 1').get() as
      { summary_json: string } | undefined;
    return row && (JSON.parse(row.summary_json) as PassSummary);
  }

  async listRejectedFiles(limit: number, offset: number): Promise<{ total: number; files: RejectedFile[] }> {
    return this.reader.transaction(() => ({
      total: (
        this.reader.prepare('SELECT COUNT(*) AS count FROM source_files WHERE rejection IS NOT NULL').get() as {
          count: number;
        }
      ).count,
      files: this.reader
        .prepare(
          'SELECT path, rejection AS reason FROM source_files WHERE rejection IS NOT NULL ORDER BY path LIMIT ? OFFSET ?',
        )
        .all(limit, offset) as RejectedFile[],
    }))();
  }

  async close(): Promise<void> {
    for (const watch of this.watches) watch.stop();
    await this.activePass?.rollback();
    // SQLite folds the WAL on closing only when no other connection has the file open: the CLI's commit must not
    // stay in the WAL for as long as the server runs.
    this.foldWal();
    this.reader.close();
    this.writer.close();
  }
}
