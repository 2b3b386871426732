import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { isArticleName } from './extensions.js';
import { sortByKey } from './path-order.js';

/** What a listed name is. */
export const ENTRY = {
  /** A regular file with an article's name, stamped by the lstat that found it. */
  file: 0,
  /** A name of an article that is not a regular file (a symlink, a FIFO, a device): rejected when inspected. */
  unstamped: 1,
  folder: 2,
  /** Folders are not followed through symlinks: reported, not walked. */
  symlinkedFolder: 3,
  /** A name that is not valid UTF-8: it cannot be opened by the name it is listed as, so it is reported. */
  badName: 4,
} as const;

/**
 * One folder's entries the walk cares about (hidden names, and files without an article's extension, left out),
 * in path order of their NFC names, a folder's sorting as its name followed by "/" (as every path under it does);
 * entries sharing an NFC name (twins) are adjacent. Flat arrays and joined strings: a listing made on another
 * thread crosses over as a few copies, not a structured clone of an object per entry.
 */
export interface FolderListing {
  /** The names as on disk, joined by "/" (which no name holds). */
  readonly names: string;
  /** The NFC names, joined likewise; absent when every name already is in NFC. */
  readonly normalNames?: string;
  /** ENTRY values. */
  readonly kinds: Uint8Array;
  readonly sizes: Float64Array;
  readonly mtimes: Float64Array;
  /**
   * Present when the folder holds only stamped regular files, no two with one NFC name: a digest of each file's
   * path, size and mtime, what a full pass compares to learn, without a look at each file, that none changed.
   */
  readonly leafDigest?: string;
  /**
   * Set when the folder itself could not be read (EACCES, ENAMETOOLONG past PATH_MAX, EIO …): the error code. Its
   * entries are then unknown, not gone.
   */
  readonly unreadable?: string;
}

/** One of the names of a listing, decoded. */
export interface ListedEntry {
  readonly raw: string;
  readonly normal: string;
  readonly kind: (typeof ENTRY)[keyof typeof ENTRY];
  readonly size: number;
  readonly mtimeMs: number;
}

const errorCode = (caught: unknown) => (caught as NodeJS.ErrnoException).code ?? String(caught);

/**
 * A folder's names; one that vanishes while it is walked is as good as empty (its files are gone). Any other error
 * is returned as its code: the folder is unreadable, and what it held is not known.
 */
function readNames(folder: string): string[] | { readonly unreadable: string } {
  try {
    // Synchronous, like the per-name lstat: a folder is read in well under a millisecond.
    return fs.readdirSync(folder);
  } catch (caught) {
    const code = errorCode(caught);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    return { unreadable: code };
  }
}

/**
 * A name's lstat; undefined when it is gone. Any other error (ENAMETOOLONG past PATH_MAX, EACCES without search
 * permission on the folder) leaves what it is unknown: it is walked as a folder, whose listing then fails the same
 * way and is reported, and whatever is stored under it is kept.
 */
export function lstatOrUnknown(entry: string): fs.Stats | 'unknown' | undefined {
  try {
    return fs.lstatSync(entry, { throwIfNoEntry: false });
  } catch {
    return 'unknown';
  }
}

/** Whether a symlink leads to a folder; one that leads nowhere (dangling, a loop) is a file that cannot be read. */
function leadsToFolder(absolute: string): boolean {
  try {
    return fs.statSync(absolute, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

type Kind = ListedEntry['kind'];

/** What a name is, from its lstat (one call per name, which also stamps a regular file); undefined: not listed. */
export function kindOf(absolute: string, name: string, stats: fs.Stats): Kind | undefined {
  if (stats.isDirectory()) return ENTRY.folder;
  if (stats.isSymbolicLink() && leadsToFolder(absolute)) return ENTRY.symlinkedFolder;
  if (!isArticleName(name)) return undefined;
  return stats.isFile() ? ENTRY.file : ENTRY.unstamped;
}

/**
 * Lists the folder at `absolute`, whose NFC path relative to ARTICLES_DIR is `folderPath` ('' for the root):
 * readdir, then one lstat per name. Pure but for those reads, so that any thread can make it.
 */
export function listFolder(absolute: string, folderPath: string): FolderListing {
  const found: Array<{ key: string; raw: string; normal: string; kind: Kind; size: number; mtimeMs: number }> = [];
  const names = readNames(absolute);
  if (!Array.isArray(names))
    return { names: '', kinds: new Uint8Array(0), sizes: new Float64Array(0), mtimes: new Float64Array(0), ...names };
  for (const raw of names) {
    if (raw.startsWith('.')) continue;
    const entry = `${absolute}/${raw}`;
    // Gone since the folder was read: nothing to walk (a stored record of it is retracted).
    const stats = lstatOrUnknown(entry);
    // Node decodes a name that is not UTF-8 with U+FFFD in place of the bad bytes; by that name it is not found.
    const kind =
      stats === 'unknown'
        ? ENTRY.folder
        : stats
          ? kindOf(entry, raw, stats)
          : raw.includes('\uFFFD')
            ? ENTRY.badName
            : undefined;
    if (kind === undefined) continue;
    const normal = raw.normalize('NFC');
    const stamped = kind === ENTRY.file && stats !== 'unknown' && stats !== undefined;
    found.push({
      key: kind === ENTRY.folder ? `${normal}/` : normal,
      raw,
      normal,
      kind,
      size: stamped ? stats.size : -1,
      mtimeMs: stamped ? stats.mtimeMs : -1,
    });
  }
  sortByKey(found);
  const leaf = found.every((entry, index) => entry.kind === ENTRY.file && entry.key !== found[index + 1]?.key);
  const prefix = folderPath === '' ? '' : `${folderPath}/`;
  const joined = found.map((entry) => entry.raw).join('/');
  const normalNames = found.map((entry) => entry.normal).join('/');
  return {
    names: joined,
    ...(normalNames !== joined ? { normalNames } : {}),
    kinds: Uint8Array.from(found, (entry) => entry.kind),
    sizes: Float64Array.from(found, (entry) => entry.size),
    mtimes: Float64Array.from(found, (entry) => entry.mtimeMs),
    ...(leaf
      ? {
          leafDigest: createHash('sha256')
            .update(found.map((entry) => `${prefix}${entry.normal}\t${entry.size}\t${entry.mtimeMs}`).join('\n'))
            .digest('base64'),
        }
      : {}),
  };
}

/** The entries of a listing, in its order. */
export function listedEntries(listing: FolderListing): ListedEntry[] {
  const count = listing.kinds.length;
  if (count === 0) return [];
  const raws = listing.names.split('/');
  const normals = listing.normalNames?.split('/') ?? raws;
  return Array.from({ length: count }, (_, index) => ({
    raw: raws[index] as string,
    normal: normals[index] as string,
    kind: listing.kinds[index] as Kind,
    size: listing.sizes[index] as number,
    mtimeMs: listing.mtimes[index] as number,
  }));
}

/** Lists folders for a walk: on this thread, or ahead of the walk on others. */
export interface FolderLister {
  /** The listing of one folder (see listFolder): made now, or the one made ahead for it. */
  list(absolute: string, folderPath: string): FolderListing | Promise<FolderListing>;
  /**
   * Folders the walk will list next, in order: they may be listed ahead. `later`: how many more folders it already
   * knows it will list after them.
   */
  ahead(folders: ReadonlyArray<{ readonly absolute: string; readonly path: string }>, later: number): void;
}

/** Every folder listed on the walking thread, when it needs it: small passes, and the CLI. */
export const LIST_IN_THREAD: FolderLister = { list: listFolder, ahead: () => undefined };
