/** Schema steps in order; step N brings PRAGMA user_version from N to N + 1. Never edit a shipped step: append. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE source_files (
    path TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    entry_key TEXT,
    first_seen TEXT NOT NULL,
    last_changed TEXT,
    rejection TEXT
  );
  CREATE TABLE entries (
    key TEXT PRIMARY KEY,
    source_path TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    paragraphs_json TEXT NOT NULL,
    category_name TEXT NOT NULL,
    category_slug TEXT NOT NULL,
    tags_json TEXT NOT NULL,
    author TEXT NOT NULL,
    image TEXT,
    image_type TEXT,
    image_length INTEGER,
    credit_source TEXT,
    credit_name TEXT,
    external_url TEXT,
    audio_json TEXT,
    published TEXT NOT NULL,
    updated TEXT NOT NULL,
    language TEXT NOT NULL
  );
  CREATE INDEX entries_newest ON entries (published DESC, key);
  CREATE INDEX entries_category_newest ON entries (category_slug, published DESC, key);
  CREATE TABLE entry_tags (
    entry_key TEXT NOT NULL REFERENCES entries (key) ON DELETE CASCADE,
    tag_slug TEXT NOT NULL,
    tag_name TEXT NOT NULL,
    PRIMARY KEY (tag_slug, entry_key)
  );
  CREATE TABLE passes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    summary_json TEXT NOT NULL
  );
  CREATE TABLE store_meta (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  INSERT INTO store_meta (name, value) VALUES ('version', 0);
  `,
  // Scope versions: which commit last changed each feed scope, and when (whole Unix seconds). Existing
  // databases start every scope that has entries at the current version, changed now.
  `
  CREATE TABLE scope_versions (
    scope TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
  );
  CREATE INDEX scope_versions_by_version ON scope_versions (version);
  INSERT INTO scope_versions (scope, version, changed_at)
    SELECT scope, (SELECT value FROM store_meta WHERE name = 'version'), CAST(strftime('%s', 'now') AS INTEGER)
    FROM (
      SELECT 'site' AS scope FROM store_meta WHERE name = 'version' AND value > 0
      UNION SELECT 'category:' || category_slug FROM entries
      UNION SELECT 'tag:' || tag_slug FROM entry_tags
    );
  `,
  // Dropping an entry's tags (every upsert, and the cascade of every delete) looked at every tag row without an
  // index of its own: quadratic in the number of tagged entries. A pass compares the folder with the stored
  // stamps in path order: a covering index reads them without visiting the table. A category's spellings and
  // counts, read after every commit that changed it, come from an index too, not from every entry's row. A folder
  // whose files a full pass found all unchanged keeps their fingerprint, so the next one need not read its records.
  `
  CREATE INDEX entry_tags_of_entry ON entry_tags (entry_key);
  CREATE INDEX source_files_stamps ON source_files (path, size, mtime_ms, entry_key, rejection);
  CREATE INDEX entries_category_names ON entries (category_slug, category_name, published);
  CREATE TABLE folder_stamps (
    folder TEXT PRIMARY KEY,
    stamp TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];
