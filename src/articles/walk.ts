import path from 'node:path';
import {
  ENTRY,
  kindOf,
  lstatOrUnknown,
  listedEntries,
  LIST_IN_THREAD,
  type FolderLister,
  type FolderListing,
  type ListedEntry,
} from './folder-listing.js';
import { comparePaths, sortByKey } from './path-order.js';
import { isInside, type ArticleFile, type FileStamp } from './scan.js';

const SYMLINKED_FOLDER = 'symlink to a folder (folders are not followed through symlinks)';
const BAD_NAME = 'its name is not valid UTF-8 (shown with U+FFFD for the bad bytes), so it cannot be read: rename it';
const REJECTIONS: Partial<Record<Found['kind'], string>> = {
  'symlinked-folder': SYMLINKED_FOLDER,
  'bad-name': BAD_NAME,
};
const rejectionOf = (found: Found) => REJECTIONS[found.kind];

/** One name found in a folder: what the walk does with it. */
interface Found {
  /** As on disk, relative to the root ("/"-separated). */
  readonly raw: string;
  /** `raw` in NFC: the path a file is stored under. */
  readonly path: string;
  readonly absolute: string;
  readonly kind: 'folder' | 'file' | 'symlinked-folder' | 'bad-name';
  /** A regular file's stamp, from the lstat that classified it. */
  readonly stamp?: FileStamp;
}

const asArticleFile = (found: Found, rejection?: string): ArticleFile => ({
  path: found.path,
  absolute: found.absolute,
  ...(found.stamp ? { stamp: found.stamp } : {}),
  ...(rejection !== undefined ? { rejection } : {}),
});

const byteOrder = (a: Found, b: Found) => Buffer.compare(Buffer.from(a.raw), Buffer.from(b.raw));

/**
 * Two names that are one once NFC-normalised (é precomposed and decomposed) would take turns publishing one entry.
 * The one already in NFC keeps the name, else the byte-wise smallest; the others are rejected under their own
 * (non-NFC) name, which sorts elsewhere: they are returned apart, as `strays`.
 */
function separateTwins(twins: readonly Found[]): { winner: ArticleFile; strays: ArticleFile[] } {
  const isNfc = (found: Found) => found.raw === found.path;
  const [winner, ...losers] = [...twins].sort((a, b) => Number(isNfc(b)) - Number(isNfc(a)) || byteOrder(a, b));
  if (!winner) throw new Error('a twin group is never empty');
  const winnerFile = asArticleFile(winner, rejectionOf(winner));
  return {
    winner: winnerFile,
    strays: losers.map((loser) => ({
      path: loser.raw,
      absolute: loser.absolute,
      rejection: `its name differs from ${winner.raw}'s only in Unicode normalisation; ${winner.raw} is the one published`,
    })),
  };
}

/**
 * Article files in path order, a run at a time. `leaf` names (NFC) the folder of a run that is all of a folder with
 * no subfolders, every entry a regular file with its stamp, and the digest of their names and stamps: such a folder
 * can be compared with the store at once. Its `files` are made only when asked for: most leaves of a full pass
 * match, and are never looked at one file at a time.
 */
export interface WalkRun {
  readonly files: readonly ArticleFile[];
  /** How many files, and the path of the last, known without making `files`. */
  readonly count: number;
  readonly last: string;
  readonly leaf?: { readonly folder: string; readonly digest: string };
  /**
   * A folder that could not be listed (`reason`: the error code), and so no file: what is stored under it is kept as
   * it is, neither retracted nor changed, until it can be listed again.
   */
  readonly unreadable?: { readonly folder: string; readonly reason: string };
}

/** A run of files made already; never empty. */
const runOf = (files: readonly ArticleFile[]): WalkRun => ({
  files,
  count: files.length,
  last: files.at(-1)?.path ?? '',
});

/** Article files walked in path order, in runs, and the twin losers found on the way, whose names sort elsewhere. */
export interface ArticleWalk {
  readonly files: AsyncIterable<WalkRun>;
  /** Complete once `files` is exhausted. */
  readonly strays: ArticleFile[];
}

/**
 * Every article file under `root`, recursively, in path order (comparePaths); or, given `roots` (paths relative to
 * `root` as a file watcher reports them, none under another: see outermostPaths), just those files and everything
 * under those of them that are folders. Only one folder's names are held at a time, so memory follows the largest
 * folder, not the tree. Hidden files and folders are skipped; symlinked folders, and FIFOs, sockets and devices
 * with an article's name, are listed (the latter are rejected when inspected), so they are reported.
 */
export function walkArticleFiles(
  root: string,
  roots?: readonly string[],
  lister: FolderLister = LIST_IN_THREAD,
): ArticleWalk {
  const strays: ArticleFile[] = [];
  const walk = new Walk(root, strays, lister);
  return {
    files: roots === undefined ? walk.folder([{ absolute: root, raw: '', path: '' }]) : walk.roots(roots),
    strays,
  };
}

type Keyed = { readonly key: string; readonly found: Found };
type FolderToWalk = { readonly absolute: string; readonly raw: string; readonly path: string };

const FOUND_KIND = {
  [ENTRY.file]: 'file',
  [ENTRY.unstamped]: 'file',
  [ENTRY.folder]: 'folder',
  [ENTRY.symlinkedFolder]: 'symlinked-folder',
  [ENTRY.badName]: 'bad-name',
} as const;

/** A listed entry of `folder`, as the walk handles it; a folder sorts as its name followed by "/". */
function keyed(folder: FolderToWalk, entry: ListedEntry): Keyed {
  const kind = FOUND_KIND[entry.kind];
  return {
    key: kind === 'folder' ? `${entry.normal}/` : entry.normal,
    found: {
      raw: folder.raw === '' ? entry.raw : `${folder.raw}/${entry.raw}`,
      path: folder.path === '' ? entry.normal : `${folder.path}/${entry.normal}`,
      absolute: `${folder.absolute}/${entry.raw}`,
      kind,
      ...(entry.kind === ENTRY.file ? { stamp: { size: entry.size, mtimeMs: entry.mtimeMs } } : {}),
    },
  };
}

/** The run of a leaf folder's listing (not empty): its files are made on first use. */
function leafRun(folder: FolderToWalk, listing: FolderListing, digest: string): WalkRun {
  const names = listing.normalNames ?? listing.names;
  let files: ArticleFile[] | undefined;
  return {
    get files() {
      files ??= listedEntries(listing).map((entry) => asArticleFile(keyed(folder, entry).found));
      return files;
    },
    count: listing.kinds.length,
    last: `${folder.path === '' ? '' : `${folder.path}/`}${names.slice(names.lastIndexOf('/') + 1)}`,
    leaf: { folder: folder.path, digest },
  };
}

// Folders listed ahead of the walk (by the lister's threads) while it walks the ones before them.
const LIST_AHEAD = 8;

class Walk {
  constructor(
    private readonly root: string,
    private readonly strays: ArticleFile[],
    private readonly lister: FolderLister,
  ) {}

  /** The folders given all share one NFC path (twins on disk): their contents are walked as one folder. */
  async *folder(folders: readonly FolderToWalk[]): AsyncGenerator<WalkRun> {
    const listings = await Promise.all(folders.map(async (folder) => this.lister.list(folder.absolute, folder.path)));
    const [only] = folders;
    const [listing] = listings;
    const unreadable = listings.find((listed) => listed.unreadable !== undefined)?.unreadable;
    if (unreadable !== undefined && only) {
      // Without its root there is nothing to publish from: that alone fails the pass.
      if (only.path === '') throw new Error(`ARTICLES_DIR cannot be listed (${unreadable} on ${only.absolute})`);
      yield { files: [], count: 0, last: only.path, unreadable: { folder: only.path, reason: unreadable } };
      return;
    }
    if (folders.length === 1 && only && listing?.leafDigest !== undefined) {
      if (listing.kinds.length > 0) yield leafRun(only, listing, listing.leafDigest);
      return;
    }
    const entries = folders.flatMap((folder, index) => {
      const listed = listings[index];
      return listed ? listedEntries(listed).map((entry) => keyed(folder, entry)) : [];
    });
    // One listing is in order already; twins' listings are merged.
    yield* this.entries(folders.length === 1 ? entries : sortByKey(entries));
  }

  /** A watcher's paths: each a file or a folder, ordered among each other as names are in a folder. */
  async *roots(roots: readonly string[]): AsyncGenerator<WalkRun> {
    const entries: Keyed[] = [];
    for (const relative of roots) {
      const absolute = path.join(this.root, relative);
      // Gone since the watcher saw it (deleted, renamed away): the pass retracts it; an escape is never followed.
      if (!isInside(this.root, absolute) || relative.split('/').some((part) => part.startsWith('.'))) continue;
      const stats = lstatOrUnknown(absolute);
      // A path that cannot be looked at (too long, no search permission) is walked as a folder, and reported.
      const kind = stats === 'unknown' ? ENTRY.folder : stats && kindOf(absolute, path.basename(absolute), stats);
      if (kind === undefined) continue;
      const stamped = kind === ENTRY.file && stats !== 'unknown' && stats !== undefined;
      const entry = { raw: relative, normal: relative.normalize('NFC'), kind };
      const parent = { absolute: this.root, raw: '', path: '' };
      entries.push(keyed(parent, { ...entry, size: stamped ? stats.size : -1, mtimeMs: stamped ? stats.mtimeMs : -1 }));
    }
    yield* this.entries(sortByKey(entries));
  }

  /** Files in runs between folders: one yield per run, not per file, since a million of them are walked. */
  private async *entries(sorted: readonly Keyed[]): AsyncGenerator<WalkRun> {
    // Folders with no twin, in the order they will be walked: listed ahead, a few at a time.
    const folders = sorted.flatMap(({ key, found }, index) =>
      found.kind === 'folder' && key !== sorted[index - 1]?.key && key !== sorted[index + 1]?.key
        ? [{ absolute: found.absolute, path: found.path }]
        : [],
    );
    let foldersWalked = 0;
    let run: ArticleFile[] = [];
    for (let start = 0; start < sorted.length;) {
      let end = start + 1;
      while (end < sorted.length && sorted[end]?.key === sorted[start]?.key) end += 1;
      const group = sorted.slice(start, end).map((entry) => entry.found);
      start = end;
      if (group[0]?.kind === 'folder') {
        if (run.length > 0) yield runOf(run);
        run = [];
        if (group.length === 1) foldersWalked += 1;
        const next = folders.slice(foldersWalked, foldersWalked + LIST_AHEAD);
        this.lister.ahead(next, folders.length - foldersWalked - next.length);
        yield* this.folder(group);
      } else if (group.length === 1 && group[0]) run.push(asArticleFile(group[0], rejectionOf(group[0])));
      else {
        const { winner, strays } = separateTwins(group);
        this.strays.push(...strays);
        run.push(winner);
      }
    }
    if (run.length > 0) yield runOf(run);
  }
}

/**
 * The given paths without those that lie under another of them (a watcher reports a folder and files inside it),
 * compared once NFC-normalised, as stored paths are. A path not in NFC brings its NFC spelling along: should a twin
 * by that name exist, the two must be decided together.
 */
export function outermostPaths(paths: readonly string[]): string[] {
  const spellings = new Set(paths.flatMap((relative) => [relative, relative.normalize('NFC')]));
  const sorted = [...spellings].sort((a, b) => comparePaths(a.normalize('NFC'), b.normalize('NFC')));
  const kept = new Set<string>();
  const result: string[] = [];
  for (const candidate of sorted) {
    const parts = candidate.normalize('NFC').split('/');
    // An ancestor sorts before its descendants, so it is already kept if it was given.
    if (parts.slice(0, -1).some((_, end) => kept.has(parts.slice(0, end + 1).join('/')))) continue;
    kept.add(parts.join('/'));
    result.push(candidate);
  }
  return result;
}
