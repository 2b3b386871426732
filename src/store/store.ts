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

/** What a pass needs of a stored file record to see that the file is unchanged, or gone. */
export interface StoredStamp {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly entryKey: string | null;
  /** Published by the last pass that looked at it (not rejected): only such a file may be left unread. */
  readonly published: boolean;
}

/** A file is published when it has an entry and its last pass did not reject it (a rejected file may keep one). */
export const isPublished = (entryKey: string | null, rejected: boolean) => entryKey !== null && !rejected;

/** A file record's stamp. */
export const stampOfRecord = (file: SourceFile): StoredStamp => ({
  path: file.path,
  size: file.size,
  mtimeMs: file.mtimeMs,
  entryKey: file.entryKey,
  published: isPublished(file.entryKey, file.rejection !== null),
});

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
  /** How long the pass took on the thread that ran it, from its start until its writes were ready to commit. */
  readonly durationMs: number;
  /** Which process ran the pass (host:pid): with several replicas, the one that held the pass lock. */
  readonly runBy: string;
  readonly rejectedFiles: readonly RejectedFile[];
  readonly warnings: readonly FileWarning[];
}

/** Passes kept in the store; older ones are pruned at each commit. */
export const KEPT_PASSES = 100;
/** Rejected files and warnings a stored pass summary lists; the counts stay whole and the files are paged. */
export const LISTED_IN_SUMMARY = 100;

/**
 * A pass summary as the store keeps it: with its lists cut to LISTED_IN_SUMMARY, so that 20,000 rejected files
 * cost one row each in source_files, not megabytes in every kept pass (and in every /status answer).
 */
export function storedSummary(summary: PassSummary): string {
  return JSON.stringify({
    ...summary,
    rejectedFiles: summary.rejectedFiles.slice(0, LISTED_IN_SUMMARY),
    warnings: summary.warnings.slice(0, LISTED_IN_SUMMARY),
  });
}

/** What a committed pass changed, so the committing process can tell a WebSub hub which feeds moved. */
export interface CommitResult {
  /** The store version after the commit (unchanged when the pass changed no entry). */
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
  /** Which file publishes each of these entry ids, counting this pass's writes so far; ids no file holds are left out. */
  entryHolders(keys: readonly string[]): Promise<Map<string, string>>;
  /**
   * Keeps the fingerprint of a folder's files, all found unchanged and published. Any later write of a file record
   * in that folder (by any pass) drops it, so a fingerprint that matches means the records are as the folder is.
   */
  saveFolderStamp(folder: string, stamp: string): Promise<void>;
  commit(summary: PassSummary): Promise<CommitResult>;
  rollback(): Promise<void>;
}

/** Which entries a feed shows: all, one category, or one tag. */
export type EntryFilter = { readonly category?: string; readonly tag?: string };

/** The scope a filter selects, as named in scope versions: 'site', 'category:<slug>' or 'tag:<slug>'. */
export function filterScopeKey(filter: EntryFilter): string {
  if (filter.tag !== undefined) return `tag:${filter.tag}`;
  return filter.category !== undefined ? `category:${filter.category}` : 'site';
}

/** Every scope a commit touched: the site, and the categories and tags of the entries it changed. */
export function changedScopeKeys(result: Pick<CommitResult, 'changedCategories' | 'changedTags'>): string[] {
  return [
    filterScopeKey({}),
    ...result.changedCategories.map((category) => filterScopeKey({ category })),
    ...result.changedTags.map((tag) => filterScopeKey({ tag })),
  ];
}

/** A category or tag and how many entries it has. */
export interface TermCount extends Term {
  readonly count: number;
  /** Every spelling its entries give it (Економија, Ekonomija), newest first; `name` is the first. */
  readonly spellings: readonly string[];
}

/**
 * A feed scope's place in the commit history: `'site'`, `'category:<slug>'` or `'tag:<slug>'` (see scopeKey).
 * `version` is the store version of the last commit that changed the scope's entries, `changedAt` that commit's
 * time in whole Unix seconds; both only move forward, so `changedAt` is the scope's Last-Modified.
 */
export interface ScopeVersion {
  readonly version: number;
  readonly changedAt: number;
}

/** A scope no commit has touched yet (an empty store's site feed). */
export const UNCHANGED_SCOPE: ScopeVersion = { version: 0, changedAt: 0 };

/** What moved since a version a process had seen: each changed scope's new version, or all of them. */
export interface StoreChange {
  readonly version: number;
  readonly scopes: ReadonlyMap<string, ScopeVersion> | 'all';
}

/** One page of a feed, read in one read transaction so that a render never mixes two commits. */
export interface FeedPage {
  readonly total: number;
  readonly entries: Entry[];
  readonly scope: ScopeVersion;
}

/** A running check for commits made by any process; `check` runs one now (after a pass, on a cron tick). */
export interface CommitWatch {
  check(): Promise<void>;
  stop(): void;
}

/** Thrown by beginPass when another process (a replica) holds the pass lock: this tick has nothing to do. */
export class PassLockedError extends Error {
  override name = 'PassLockedError';
  constructor() {
    super('another process is running a normalise pass; this one skipped');
  }
}

/** The entry store. Async so that a networked database can implement it as well as SQLite. */
export interface Store {
  /**
   * The stamps of up to `limit` file records with `after` < path < `before` (no upper bound when undefined), in path
   * order: code point order, which is UTF-8 byte order (see comparePaths).
   */
  sourceStamps(after: string, before: string | undefined, limit: number): Promise<StoredStamp[]>;
  /** The full records of those of `paths` that have one, in no particular order. */
  sourceFiles(paths: readonly string[]): Promise<SourceFile[]>;
  /** The fingerprint kept for a folder (NFC, relative to ARTICLES_DIR; '' for the folder itself), if any. */
  folderStamp(folder: string): Promise<string | undefined>;
  /** Starts the single transaction of one pass. */
  beginPass(): Promise<PassWriter>;
  /** Bumped by every commit that changed an entry, whichever process made it. */
  version(): Promise<number>;
  /** The scopes whose version is above `since`, with the current store version. */
  changesSince(since: number): Promise<StoreChange>;
  /** Where one scope stands (UNCHANGED_SCOPE when no commit touched it). */
  scopeVersion(scope: string): Promise<ScopeVersion>;
  /**
   * Tells `listener` about every commit from now on, made by this process or any other, at most `intervalMs`
   * after it (sooner where the database can push notices).
   */
  watchCommits(listener: (change: StoreChange) => void, intervalMs: number): CommitWatch;
  /** What keeps the store from working now, in words (e.g. a lost database connection); empty when all is well. */
  problems(): string[];
  listEntries(filter: EntryFilter, limit: number, offset: number): Promise<Entry[]>;
  countEntries(filter: EntryFilter): Promise<number>;
  /** A feed page, its scope's total and its scope's version, all from one snapshot. */
  feedPage(filter: EntryFilter, limit: number, offset: number): Promise<FeedPage>;
  findEntryBySlug(slug: string): Promise<Entry | undefined>;
  /** The categories that have entries; given `slugs`, just those of them (what a commit changed). */
  listCategories(slugs?: readonly string[]): Promise<TermCount[]>;
  /** The tags that have entries; given `slugs`, just those of them. */
  listTags(slugs?: readonly string[]): Promise<TermCount[]>;
  lastPass(): Promise<PassSummary | undefined>;
  /** Files whose last pass rejected them, by path, with their reasons and how many there are in all. */
  listRejectedFiles(limit: number, offset: number): Promise<{ total: number; files: RejectedFile[] }>;
  close(): Promise<void>;
}

/** The folder of a file record's path, as folder stamps name it ('' for ARTICLES_DIR itself). */
export const folderOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
