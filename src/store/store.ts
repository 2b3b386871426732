import type { Entry, NormalisedEntry, Term } from '../entries/entry.js';

/** What the job remembers about one article file between passes. */
export interface SourceFile {
  readonly path: string;
  readonly hash: string;
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

export interface PassSummary extends PassCounts {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly rejectedFiles: readonly RejectedFile[];
}

/** Everything one pass writes, committed atomically by `commitPass`. */
export interface PassChanges {
  readonly upserts: ReadonlyArray<{ readonly file: SourceFile; readonly entry: NormalisedEntry }>;
  readonly rejections: readonly SourceFile[];
  readonly removedPaths: readonly string[];
  readonly summary: PassSummary;
}

/** Which entries a feed shows: all, one category, or one tag. */
export type EntryFilter = { readonly category?: string; readonly tag?: string };

export interface CategoryCount extends Term {
  readonly count: number;
}

/** The entry store. Async so that a networked database can implement it as well as SQLite. */
export interface Store {
  listSourceFiles(): Promise<SourceFile[]>;
  /** Applies one pass in a single transaction; returns the store version afterwards. */
  commitPass(changes: PassChanges): Promise<number>;
  /** Bumped by every pass that changed an entry; caches key on it. */
  version(): Promise<number>;
  listEntries(filter: EntryFilter, limit: number, offset: number): Promise<Entry[]>;
  countEntries(filter: EntryFilter): Promise<number>;
  findEntryBySlug(slug: string): Promise<Entry | undefined>;
  listCategories(): Promise<CategoryCount[]>;
  lastPass(): Promise<PassSummary | undefined>;
  close(): Promise<void>;
}
