import pg from 'pg';
import type { Entry } from '../../entries/entry.js';
import { pollCommits } from '../commit-watch.js';
import { rowToEntry, SELECT_STAMPS, stampOf, type EntryRow, type StampColumns } from '../entry-rows.js';
import {
  filterScopeKey,
  PassLockedError,
  UNCHANGED_SCOPE,
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
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { COMMIT_CHANNEL, PostgresPassWriter } from './pass-writer.js';

// Past this many changed scopes a change says "all": re-reading every cached scope is then the cheaper way.
const MAX_LISTED_SCOPES = 10_000;
const SELECT_SOURCE_FILES = `SELECT path, hash, size, mtime_ms AS "mtimeMs", entry_key AS "entryKey",
  first_seen AS "firstSeen", last_changed AS "lastChanged", rejection FROM source_files`;
/** No request waits longer than this on a database that stopped answering. */
const QUERY_TIMEOUT_MS = 5000;
const CONNECT_TIMEOUT_MS = 3000;
/** A missed notice (a listener reconnecting) is caught by reading the version this often anyway. */
const BACKSTOP_CHECK_MS = 5000;
const MAX_RECONNECT_DELAY_MS = 30_000;
/** How our connections show in pg_stat_activity, for operators (and tests) to find them. */
const APPLICATION_NAME = 'feed-publisher';

// COUNT(*) and BIGINT columns arrive as strings; every number this store keeps fits a double.
const TYPES: { getTypeParser: typeof pg.types.getTypeParser } = {
  getTypeParser: (oid, format): unknown =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
};

function filterClause(filter: EntryFilter, firstParam: number): { where: string; params: string[] } {
  if (filter.tag !== undefined)
    return {
      where: `WHERE key IN (SELECT entry_key FROM entry_tags WHERE tag_slug = $${firstParam})`,
      params: [filter.tag],
    };
  if (filter.category !== undefined)
    return { where: `WHERE category_slug = $${firstParam}`, params: [filter.category] };
  return { where: '', params: [] };
}

/** Something that runs queries: the pool, or one client inside a transaction. */
type Queryable = Pick<pg.Pool, 'query'>;

async function readVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ value: number }>("SELECT value FROM store_meta WHERE name = 'version'");
  return rows[0]?.value ?? 0;
}

async function readScopeVersion(db: Queryable, scope: string): Promise<ScopeVersion> {
  const { rows } = await db.query<ScopeVersion>(
    'SELECT version, changed_at AS "changedAt" FROM scope_versions WHERE scope = $1',
    [scope],
  );
  return rows[0] ?? UNCHANGED_SCOPE;
}

async function readEntries(db: Queryable, filter: EntryFilter, limit: number, offset: number): Promise<Entry[]> {
  const { where, params } = filterClause(filter, 3);
  const { rows } = await db.query<EntryRow>(
    `SELECT * FROM entries ${where} ORDER BY published DESC, key LIMIT $1 OFFSET $2`,
    [limit, offset, ...params],
  );
  return rows.map(rowToEntry);
}

async function readCount(db: Queryable, filter: EntryFilter): Promise<number> {
  const { where, params } = filterClause(filter, 1);
  const { rows } = await db.query<{ count: number }>(`SELECT COUNT(*) AS count FROM entries ${where}`, params);
  return rows[0]?.count ?? 0;
}

/**
 * Terms from `spellingCounts` (slug, name, count, newest: one row per spelling of a slug): entries may spell one
 * slug differently (Србија / СРБИЈА / Srbija), and each edition names the term in its own script.
 */
async function termCounts(db: Queryable, spellingCounts: string, slugs?: readonly string[]): Promise<TermCount[]> {
  const { rows } = await db.query<{ slug: string; spellings: string[]; count: number }>(
    `SELECT slug, array_agg(name ORDER BY newest DESC, name) AS spellings, SUM(count)::bigint AS count
     FROM (${spellingCounts}) AS spelling GROUP BY slug ORDER BY slug`,
    slugs ? [slugs] : [],
  );
  return rows.map(({ slug, spellings, count }) => ({ slug, name: spellings[0] ?? slug, count, spellings }));
}

/**
 * Applies the schema steps not yet applied, holding a session advisory lock: replicas that start together wait
 * for the first and then find nothing left to do, so each step runs exactly once.
 */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext(current_schema() || ':migrate'))");
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ applied: number }>(
        'SELECT COALESCE(MAX(version), 0) AS applied FROM schema_migrations',
      );
      for (let step = rows[0]?.applied ?? 0; step < POSTGRES_MIGRATIONS.length; step += 1) {
        await client.query('BEGIN');
        try {
          await client.query(POSTGRES_MIGRATIONS[step] ?? '');
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [step + 1]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext(current_schema() || ':migrate'))");
    }
  } finally {
    client.release();
  }
}

/**
 * The store for several replicas: PostgreSQL through a pool for queries, and one dedicated connection that
 * LISTENs for the notices commits send, so every replica learns of a commit as it happens. The schema is
 * migrated on first use.
 */
export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private readonly ready: Promise<void>;
  private readonly watches = new Set<CommitWatch>();
  private listener: pg.Client | undefined;
  private listenerProblem: string | undefined;
  private reconnectDelayMs = 500;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly connectionString: string) {
    this.pool = new pg.Pool({
      connectionString,
      types: TYPES,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      max: 10,
      application_name: APPLICATION_NAME,
    });
    // An idle client whose server went away reports here; without a handler the process would crash.
    this.pool.on('error', () => undefined);
    this.ready = migrate(this.pool);
    // Failure shows on the first query that awaits it, with the reason.
    this.ready.catch(() => undefined);
  }

  private async db(): Promise<pg.Pool> {
    await this.ready;
    return this.pool;
  }

  /** Runs `read` on one client in a read-only snapshot, so every query in it sees the same commit. */
  private async snapshot<T>(read: (db: Queryable) => Promise<T>): Promise<T> {
    const client = await (await this.db()).connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await read(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async sourceStamps(after: string, before: string | undefined, limit: number): Promise<StoredStamp[]> {
    const { rows } = await (
      await this.db()
    ).query<StampColumns>({
      // Two texts, not "$2 IS NULL OR path < $2": a bound the planner cannot see would scan on past an empty range.
      text:
        before === undefined
          ? `${SELECT_STAMPS} WHERE path > $1 ORDER BY path LIMIT $2`
          : `${SELECT_STAMPS} WHERE path > $1 AND path < $3 ORDER BY path LIMIT $2`,
      values: before === undefined ? [after, limit] : [after, limit, before],
      rowMode: 'array',
    });
    return rows.map(stampOf);
  }

  async folderStamp(folder: string): Promise<string | undefined> {
    const { rows } = await (
      await this.db()
    ).query<{ stamp: string }>('SELECT stamp FROM folder_stamps WHERE folder = $1', [folder]);
    return rows[0]?.stamp;
  }

  async sourceFiles(paths: readonly string[]): Promise<SourceFile[]> {
    const { rows } = await (
      await this.db()
    ).query<SourceFile>(`${SELECT_SOURCE_FILES} WHERE path = ANY($1::text[])`, [paths]);
    return rows;
  }

  async beginPass(): Promise<PassWriter> {
    const client = await (await this.db()).connect();
    try {
      await client.query('BEGIN');
      // Held until this transaction ends, also through a transaction-mode pooler: one replica normalises at a time.
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || ':normalise')) AS locked",
      );
      if (!rows[0]?.locked) throw new PassLockedError();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      throw error;
    }
    return new PostgresPassWriter(client, () => client.release());
  }

  async version(): Promise<number> {
    return readVersion(await this.db());
  }

  async changesSince(since: number): Promise<StoreChange> {
    return this.snapshot(async (db): Promise<StoreChange> => {
      const version = await readVersion(db);
      const { rows } = await db.query<ScopeVersion & { scope: string }>(
        'SELECT scope, version, changed_at AS "changedAt" FROM scope_versions WHERE version > $1 LIMIT $2',
        [since, MAX_LISTED_SCOPES + 1],
      );
      if (rows.length > MAX_LISTED_SCOPES) return { version, scopes: 'all' };
      return { version, scopes: new Map(rows.map(({ scope, ...at }) => [scope, at])) };
    });
  }

  async scopeVersion(scope: string): Promise<ScopeVersion> {
    return readScopeVersion(await this.db(), scope);
  }

  watchCommits(listener: (change: StoreChange) => void, intervalMs: number): CommitWatch {
    const watch = pollCommits(this, listener, Math.max(intervalMs, BACKSTOP_CHECK_MS));
    this.watches.add(watch);
    this.listen();
    return {
      check: () => watch.check(),
      stop: () => {
        watch.stop();
        this.watches.delete(watch);
      },
    };
  }

  /** Keeps one connection LISTENing; on every (re)connect, checks the version, since notices sent meanwhile are lost. */
  private listen(): void {
    if (this.listener || this.closed || this.reconnectTimer) return;
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: APPLICATION_NAME,
    });
    this.listener = client;
    const checkAll = () => {
      for (const watch of this.watches) void watch.check().catch(() => undefined);
    };
    const lost = (reason: string) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.listenerProblem ??= `the database connection was lost at ${new Date().toISOString()} (${reason}); reconnecting`;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined;
        this.listen();
      }, this.reconnectDelayMs);
      this.reconnectTimer.unref();
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('connection closed'));
    client.on('notification', checkAll);
    client
      .connect()
      .then(() => client.query(`LISTEN ${COMMIT_CHANNEL}`))
      .then(() => {
        this.listenerProblem = undefined;
        this.reconnectDelayMs = 500;
        checkAll();
      })
      .catch((error: unknown) => lost(error instanceof Error ? error.message : String(error)));
  }

  problems(): string[] {
    return this.listenerProblem ? [this.listenerProblem] : [];
  }

  async listEntries(filter: EntryFilter, limit: number, offset: number): Promise<Entry[]> {
    return readEntries(await this.db(), filter, limit, offset);
  }

  async countEntries(filter: EntryFilter): Promise<number> {
    return readCount(await this.db(), filter);
  }

  async feedPage(filter: EntryFilter, limit: number, offset: number): Promise<FeedPage> {
    return this.snapshot(async (db) => ({
      total: await readCount(db, filter),
      entries: await readEntries(db, filter, limit, offset),
      scope: await readScopeVersion(db, filterScopeKey(filter)),
    }));
  }

  async findEntryBySlug(slug: string): Promise<Entry | undefined> {
    const { rows } = await (await this.db()).query<EntryRow>('SELECT * FROM entries WHERE slug = $1', [slug]);
    return rows[0] && rowToEntry(rows[0]);
  }

  async listTags(slugs?: readonly string[]): Promise<TermCount[]> {
    return termCounts(
      await this.db(),
      `SELECT tag_slug AS slug, tag_name AS name, COUNT(*) AS count, MAX(published) AS newest
       FROM entry_tags JOIN entries ON entries.key = entry_tags.entry_key ${slugs ? 'WHERE tag_slug = ANY($1)' : ''}
       GROUP BY tag_slug, tag_name`,
      slugs,
    );
  }

  async listCategories(slugs?: readonly string[]): Promise<TermCount[]> {
    return termCounts(
      await this.db(),
      `SELECT category_slug AS slug, category_name AS name, COUNT(*) AS count, MAX(published) AS newest
       FROM entries ${slugs ? 'WHERE category_slug = ANY($1)' : ''} GROUP BY category_slug, category_name`,
      slugs,
    );
  }

  async lastPass(): Promise<PassSummary | undefined> {
    const { rows } = await (
      await this.db()
    ).query<{ summary_json: string }>('SELECT summary_json FROM passes ORDER BY id DESC LIMIT 1');
    return rows[0] && (JSON.parse(rows[0].summary_json) as PassSummary);
  }

  async listRejectedFiles(limit: number, offset: number): Promise<{ total: number; files: RejectedFile[] }> {
    return this.snapshot(async (db) => ({
      total:
        (await db.query<{ count: number }>('SELECT COUNT(*) AS count FROM source_files WHERE rejection IS NOT NULL'))
          .rows[0]?.count ?? 0,
      files: (
        await db.query<RejectedFile>(
          'SELECT path, rejection AS reason FROM source_files WHERE rejection IS NOT NULL ORDER BY path LIMIT $1 OFFSET $2',
          [limit, offset],
        )
      ).rows,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const watch of this.watches) watch.stop();
    clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}
