/**
 * Schema steps in order; step N brings schema_migrations from N to N + 1. Never edit a shipped step: append.
 * Text columns sort as bytes (COLLATE "C"), as SQLite's do, so both stores order entries, and render feeds, alike.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE source_files (
    path TEXT COLLATE "C" PRIMARY KEY,
    hash TEXT NOT NULL,
    size BIGINT NOT NULL,
    mtime_ms DOUBLE PRECISION NOT NULL,
    entry_key TEXT COLLATE "C",
    first_seen TEXT NOT NULL,
    last_changed TEXT,
    rejection TEXT
  );
  CREATE TABLE entries (
    key TEXT COLLATE "C" PRIMARY KEY,
    source_path TEXT COLLATE "C" NOT NULL UNIQUE,
    slug TEXT COLLATE "C" NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    paragraphs_json TEXT NOT NULL,
    category_name TEXT COLLATE "C" NOT NULL,
    category_slug TEXT COLLATE "C" NOT NULL,
    tags_json TEXT NOT NULL,
    author TEXT NOT NULL,
    image TEXT,
    image_type TEXT,
    image_length BIGINT,
    credit_source TEXT,
    credit_name TEXT,
    external_url TEXT,
    audio_json TEXT,
    published TEXT COLLATE "C" NOT NULL,
    updated TEXT COLLATE "C" NOT NULL,
    language TEXT NOT NULL
  );
  CREATE INDEX entries_newest ON entries (published DESC, key);
  CREATE INDEX entries_category_newest ON entries (category_slug, published DESC, key);
  CREATE TABLE entry_tags (
    entry_key TEXT COLLATE "C" NOT NULL REFERENCES entries (key) ON DELETE CASCADE,
    tag_slug TEXT COLLATE "C" NOT NULL,
    tag_name TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (tag_slug, entry_key)
  );
  CREATE INDEX entry_tags_of_entry ON entry_tags (entry_key);
  CREATE TABLE passes (
    id BIGSERIAL PRIMARY KEY,
    summary_json TEXT NOT NULL
  );
  CREATE TABLE store_meta (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
  );
  INSERT INTO store_meta (name, value) VALUES ('version', 0);
  CREATE TABLE scope_versions (
    scope TEXT COLLATE "C" PRIMARY KEY,
    version BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
  );
  CREATE INDEX scope_versions_by_version ON scope_versions (version);
  `,
  // A pass compares the folder with the stored stamps in path order: an index-only scan reads them. A category's
  // spellings and counts, read after every commit that changed it, come from an index too. A folder whose files a
  // full pass found all unchanged keeps their fingerprint, so the next one need not read its records.
  `
  CREATE INDEX source_files_stamps ON source_files (path) INCLUDE (size, mtime_ms, entry_key, rejection);
  CREATE INDEX entries_category_names ON entries (category_slug, category_name, published);
  CREATE TABLE folder_stamps (
    folder TEXT COLLATE "C" PRIMARY KEY,
    stamp TEXT NOT NULL
  );
  `,
];
