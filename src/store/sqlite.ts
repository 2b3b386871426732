import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Entry, NormalisedEntry, Term } from '../entries/entry.js';
import { uniqueSlug } from '../entries/slug.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
import type { CategoryCount, EntryFilter, PassChanges, PassSummary, SourceFile, Store } from './store.js';

const KEPT_PASSES = 100;

interface EntryRow {
  key: string;
  source_path: string;
  slug: string;
  title: string;
  summary: string;
  paragraphs_json: string;
  content_html: string;
  category_name: string;
  category_slug: string;
  tags_json: string;
  author: string;
  image: string | null;
  credit_source: string | null;
  credit_name: string | null;
  external_url: string | null;
  published: string;
  updated: string;
  language: string;
}

function toEntry(row: EntryRow): Entry {
  return {
    key: row.key,
    sourcePath: row.source_path,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    paragraphs: JSON.parse(row.paragraphs_json) as string[],
    contentHtml: row.content_html,
    category: { name: row.category_name, slug: row.category_slug },
    tags: JSON.parse(row.tags_json) as Term[],
    author: row.author,
    ...(row.image ? { image: row.image } : {}),
    ...(row.credit_source !== null ? { credit: { source: row.credit_source, name: row.credit_name ?? '' } } : {}),
    ...(row.external_url ? { externalUrl: row.external_url } : {}),
    published: row.published,
    updated: row.updated,
    language: row.language,
  };
}

function toRow(entry: NormalisedEntry, slug: string): EntryRow {
  return {
    key: entry.key,
    source_path: entry.sourcePath,
    slug,
    title: entry.title,
    summary: entry.summary,
    paragraphs_json: JSON.stringify(entry.paragraphs),
    content_html: entry.contentHtml,
    category_name: entry.category.name,
    category_slug: entry.category.slug,
    tags_json: JSON.stringify(entry.tags),
    author: entry.author,
    image: entry.image ?? null,
    credit_source: entry.credit?.source ?? null,
    credit_name: entry.credit?.name ?? null,
    external_url: entry.externalUrl ?? null,
    published: entry.published,
    updated: entry.updated,
    language: entry.language,
  };
}

function filterClause(filter: EntryFilter): { where: string; params: string[] } {
  if (filter.tag !== undefined)
    return { where: 'WHERE key IN (SELECT entry_key FROM entry_tags WHERE tag_slug = ?)', params: [filter.tag] };
  if (filter.category !== undefined) return { where: 'WHERE category_slug = ?', params: [filter.category] };
  return { where: '', params: [] };
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

/** The default store: one SQLite file, WAL mode so readers never wait for the job's transaction. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
  }

  async listSourceFiles(): Promise<SourceFile[]> {
    const rows = this.db
      .prepare(
        `SELECT path, hash, entry_key AS entryKey, first_seen AS firstSeen, last_changed AS lastChanged, rejection
         FROM source_files`,
      )
      .all() as SourceFile[];
    return rows;
  }

  async commitPass(changes: PassChanges): Promise<number> {
    return this.db.transaction(() => {
      let changed = changes.removedPaths.length > 0;
      for (const removed of changes.removedPaths) {
        this.db.prepare('DELETE FROM entries WHERE source_path = ?').run(removed);
        this.db.prepare('DELETE FROM source_files WHERE path = ?').run(removed);
      }
      for (const file of changes.rejections) this.saveSourceFile(file);
      for (const { file, entry } of changes.upserts) {
        this.saveSourceFile(file);
        this.saveEntry(entry);
        changed = true;
      }
      this.db.prepare('INSERT INTO passes (summary_json) VALUES (?)').run(JSON.stringify(changes.summary));
      this.db.prepare('DELETE FROM passes WHERE id <= (SELECT MAX(id) FROM passes) - ?').run(KEPT_PASSES);
      if (changed) this.db.prepare("UPDATE store_meta SET value = value + 1 WHERE name = 'version'").run();
      return this.readVersion();
    })();
  }

  private saveSourceFile(file: SourceFile): void {
    this.db
      .prepare(
        `INSERT INTO source_files (path, hash, entry_key, first_seen, last_changed, rejection)
         VALUES (@path, @hash, @entryKey, @firstSeen, @lastChanged, @rejection)
         ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, entry_key = excluded.entry_key,
           last_changed = excluded.last_changed, rejection = excluded.rejection`,
      )
      .run(file);
  }

  private saveEntry(entry: NormalisedEntry): void {
    // A file whose front matter id changed now publishes under another key: drop the old one.
    this.db.prepare('DELETE FROM entries WHERE source_path = ? AND key <> ?').run(entry.sourcePath, entry.key);
    const existing = this.db.prepare('SELECT slug FROM entries WHERE key = ?').get(entry.key) as { slug: string } | undefined;
    const taken = this.db.prepare('SELECT 1 FROM entries WHERE slug = ?');
    // Links are promises to readers: an entry keeps the slug it was first published under.
    const slug = existing?.slug ?? uniqueSlug(entry.slugBase, (candidate) => taken.get(candidate) !== undefined);
    this.db
      .prepare(
        `INSERT INTO entries (key, source_path, slug, title, summary, paragraphs_json, content_html, category_name,
           category_slug, tags_json, author, image, credit_source, credit_name, external_url, published, updated, language)
         VALUES (@key, @source_path, @slug, @title, @summary, @paragraphs_json, @content_html, @category_name,
           @category_slug, @tags_json, @author, @image, @credit_source, @credit_name, @external_url, @published, @updated, @language)
         ON CONFLICT (key) DO UPDATE SET source_path = excluded.source_path, title = excluded.title,
           summary = excluded.summary, paragraphs_json = excluded.paragraphs_json, content_html = excluded.content_html,
           category_name = excluded.category_name, category_slug = excluded.category_slug, tags_json = excluded.tags_json,
           author = excluded.author, image = excluded.image, credit_source = excluded.credit_source,
           credit_name = excluded.credit_name, external_url = excluded.external_url, published = excluded.published,
           updated = excluded.updated, language = excluded.language`,
      )
      .run(toRow(entry, slug));
    this.db.prepare('DELETE FROM entry_tags WHERE entry_key = ?').run(entry.key);
    const insertTag = this.db.prepare('INSERT INTO entry_tags (entry_key, tag_slug) VALUES (?, ?)');
    for (const tag of entry.tags) insertTag.run(entry.key, tag.slug);
  }

  private readVersion(): number {
    return (this.db.prepare("SELECT value FROM store_meta WHERE name = 'version'").get() as { value: number }).value;
  }

  async version(): Promise<number> {
    return this.readVersion();
  }

  async listEntries(filter: EntryFilter, limit: number, offset: number): Promise<Entry[]> {
    const { where, params } = filterClause(filter);
    const rows = this.db
      .prepare(`SELECT * FROM entries ${where} ORDER BY published DESC, key LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as EntryRow[];
    return rows.map(toEntry);
  }

  async countEntries(filter: EntryFilter): Promise<number> {
    const { where, params } = filterClause(filter);
    return (this.db.prepare(`SELECT COUNT(*) AS count FROM entries ${where}`).get(...params) as { count: number }).count;
  }

  async findEntryBySlug(slug: string): Promise<Entry | undefined> {
    const row = this.db.prepare('SELECT * FROM entries WHERE slug = ?').get(slug) as EntryRow | undefined;
    return row && toEntry(row);
  }

  async listCategories(): Promise<CategoryCount[]> {
    // Entries may spell a category slug differently (Србија / СРБИЈА); show the most recent spelling.
    return this.db
      .prepare(
        `SELECT category_slug AS slug,
           (SELECT category_name FROM entries AS latest WHERE latest.category_slug = entries.category_slug
              ORDER BY published DESC LIMIT 1) AS name,
           COUNT(*) AS count
         FROM entries GROUP BY category_slug ORDER BY category_slug`,
      )
      .all() as CategoryCount[];
  }

  async lastPass(): Promise<PassSummary | undefined> {
    const row = this.db.prepare('SELECT summary_json FROM passes ORDER BY id DESC LIMIT 1').get() as
      | { summary_json: string }
      | undefined;
    return row && (JSON.parse(row.summary_json) as PassSummary);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
