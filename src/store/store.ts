import type { Entry, NormalisedEntry, Term } from '../entries/entry.js';

/** What the job remembers about one article file between passes. */
export interface SourceFile {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly entryKey: string | null;
  readonly firstSeen: string;
  readonly lastChanged: string | null;
  readonly rejection: string | null;
}

export interface RejectedFile {
  readonly path: string;
  readonly reason: string;
}

export interface PassCounts {
  readonly scanned: number;
  readonly new: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly retracted: number;
  readonly rejected: number;
}

/** A published file that another file tried to take something from (its id). */
export interface FileWarning {
  readonly path: string;
  readonly message: string;
}

export interface PassSummary extends PassCounts {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly rejectedFiles: readonly RejectedFile[];
  readonly warnings: readonly FileWarning[];
}

/** What a committed pass changed, so caches re-render only the feeds that hold changed entries. */
export interface CommitResult {
  readonly version: number;
  /** Slugs of every category that gained, lost or changed an entry (before and after an edit). */
  readonly changedCategories: readonly string[];
  /** The same for tags. */
  readonly changedTags: readonly string[];
}

/**
 * The writes of one pass, in one transaction that readers never see half of.
 * Nothing is visible until `commit`; `rollback` (or a crash) leaves the last committed state.
 */
export interface PassWriter {
  /** Writes an entry; `previousKey` is the key the file published under before, if any. */
  upsert(file: SourceFile, entry: NormalisedEntry, previousKey: string | null): Promise<void>;
  saveSourceFile(file: SourceFile): Promise<void>;
  remove(path: string): Promise<void>;
  commit(summary: PassSummary): Promise<CommitResult>;
  rollback(): Promise<void>;
}

/** Which entries a feed shows: all, one category, or one tag. */
export type EntryFilter = { readonly category?: string; readonly tag?: string };

/** A category or tag and how many entries it has. */
export interface TermCount extends Term {
  readonly count: number;
  /** Every spelling its entries give it (Економија, Ekonomija), newest first; `name` is the first. */
  readonly spellings: readonly string[];
}

/** The entry store. Async so that a networked database can implement it as well as SQLite. */
export interface Store {
  listSourceFiles(): Promise<SourceFile[]>;
  /** Starts the single transaction of one pass. */
  beginPass(): Promise<PassWriter>;
  /** Bumped by every pass that changed an entry; caches key on it. */
  version(): Promise<number>;
  listEntries(filter: EntryFilter, limit: number, offset: number): Promise<Entry[]>;
  countEntries(filter: EntryFilter): Promise<number>;
  findEntryBySlug(slug: string): Promise<Entry | undefined>;
  listCategories(): Promise<TermCount[]>;
  listTags(): Promise<TermCount[]>;
  lastPass(): Promise<PassSummary | undefined>;
  close(): Promise<void>;
}
