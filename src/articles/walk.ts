import fs from 'node:fs';
import path from 'node:path';
import { ARTICLE_EXTENSIONS } from './parse.js';
import { isInside, type ArticleFile, type FileStamp } from './scan.js';

// UTF-16 code units put U+E000–U+FFFF after the surrogates that encode code points above U+FFFF; code point order
// (which is UTF-8 byte order) puts them before.
const codePointRank = (unit: number) => (unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800);

/**
 * Orders paths by code point, which is UTF-8 byte order: the order in which SQLite (BINARY) and PostgreSQL
 * (COLLATE "C") return `ORDER BY path`, so that a folder walk and stored rows can be merged side by side.
 */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

const isArticleName = (name: string) =>
  !name.startsWith('.') && (ARTICLE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());

const SYMLINKED_FOLDER = 'symlink to a folder (folders are not followed through symlinks)';
const rejectionOf = (found: Found) => (found.kind === 'symlinked-folder' ? SYMLINKED_FOLDER : undefined);

/** One name found in a folder: what the walk does with it. */
interface Found {
  /** As on disk, relative to the root ("/"-separated). */
  readonly raw: string;
  /** `raw` in NFC: the path a file is stored under. */
  readonly path: string;
  readonly absolute: string;
  readonly kind: 'folder' | 'file' | 'symlinked-folder';
  /** A regular file's stamp, from the lstat that classified it. */
  readonly stamp?: FileStamp;
}

/** What an entry is, from its lstat: one call per name, which also stamps a regular file. */
function classify(absolute: string, raw: string, path: string, name: string, stats: fs.Stats): Found | undefined {
  if (stats.isDirectory()) return { raw, path, absolute, kind: 'folder' };
  if (stats.isSymbolicLink() && fs.statSync(absolute, { throwIfNoEntry: false })?.isDirectory())
    return { raw, path, absolute, kind: 'symlinked-folder' };
  if (!isArticleName(name)) return undefined;
  return stats.isFile()
    ? { raw, path, absolute, kind: 'file', stamp: { size: stats.size, mtimeMs: stats.mtimeMs } }
    : { raw, path, absolute, kind: 'file' };
}

const lastName = (raw: string) => raw.slice(raw.lastIndexOf('/') + 1);

/** The NFC name a found entry sorts under; a folder's ends with "/", as every path under it continues. */
const sortKey = (found: Found) => {
  const name = lastName(found.path);
  return found.kind === 'folder' ? `${name}/` : name;
};

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
 * no subfolders, every entry a regular file with its stamp: such a folder can be compared with the store at once.
 */
export interface WalkRun {
  readonly files: readonly ArticleFile[];
  readonly leaf?: string;
}

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
export function walkArticleFiles(root: string, roots?: readonly string[]): ArticleWalk {
  const strays: ArticleFile[] = [];
  const walk = new Walk(root, strays);
  return {
    files: roots === undefined ? walk.folder([{ absolute: root, raw: '', path: '' }]) : walk.roots(roots),
    strays,
  };
}

/** A folder that vanishes during the walk is as good as empty: its files are gone. Anything else fails the pass. */
function readNames(folder: string): string[] {
  try {
    // Synchronous, like the per-file lstat: a folder is read in well under a millisecond, and a round trip through
    // the thread pool per folder was a second of a million-file pass spent waiting.
    return fs.readdirSync(folder);
  } catch (caught) {
    const code = (caught as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new Error(`ARTICLES_DIR cannot be listed (${code ?? String(caught)} on ${folder})`);
  }
}

// Below U+D800 UTF-16 order is code point order, and the built-in sort is much faster than comparePaths.
const BEYOND_PLAIN_ORDER = /[\uD800-\uFFFF]/;

/** Entries by sort key, in path order; entries that share a key (NFC twins) are adjacent. */
function sortedByKey(entries: Array<{ key: string; found: Found }>): Array<{ key: string; found: Found }> {
  const plain = entries.every(({ key }) => !BEYOND_PLAIN_ORDER.test(key));
  return entries.sort(
    plain ? (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : (a, b) => comparePaths(a.key, b.key),
  );
}

class Walk {
  constructor(
    private readonly root: string,
    private readonly strays: ArticleFile[],
  ) {}

  /** The folders given all share one NFC path (twins on disk): their contents are walked as one folder. */
  async *folder(folders: ReadonlyArray<{ absolute: string; raw: string; path: string }>): AsyncGenerator<WalkRun> {
    const entries: Array<{ key: string; found: Found }> = [];
    for (const folder of folders)
      for (const name of readNames(folder.absolute)) {
        if (name.startsWith('.')) continue;
        const absolute = `${folder.absolute}/${name}`;
        // Gone since the folder was read: nothing to walk (a stored record of it is retracted).
        const stats = fs.lstatSync(absolute, { throwIfNoEntry: false });
        const normal = name.normalize('NFC');
        const found =
          stats &&
          classify(
            absolute,
            folder.raw === '' ? name : `${folder.raw}/${name}`,
            folder.path === '' ? normal : `${folder.path}/${normal}`,
            name,
            stats,
          );
        if (found) entries.push({ key: sortKey(found), found });
      }
    const sorted = sortedByKey(entries);
    const [only] = folders;
    const leaf =
      folders.length === 1 &&
      sorted.every(({ key, found }, index) => found.stamp !== undefined && key !== sorted[index + 1]?.key);
    yield* this.entries(sorted, leaf ? only?.path : undefined);
  }

  /** A watcher's paths: each a file or a folder, ordered among each other as names are in a folder. */
  async *roots(roots: readonly string[]): AsyncGenerator<WalkRun> {
    const entries: Array<{ key: string; found: Found }> = [];
    for (const relative of roots) {
      const absolute = path.join(this.root, relative);
      // Gone since the watcher saw it (deleted, renamed away): the pass retracts it; an escape is never followed.
      if (!isInside(this.root, absolute) || relative.split('/').some((part) => part.startsWith('.'))) continue;
      const stats = fs.lstatSync(absolute, { throwIfNoEntry: false });
      const key = relative.normalize('NFC');
      const found = stats && classify(absolute, relative, key, path.basename(absolute), stats);
      if (found) entries.push({ key: found.kind === 'folder' ? `${key}/` : key, found });
    }
    yield* this.entries(sortedByKey(entries));
  }

  /** Files in runs between folders: one yield per run, not per file, since a million of them are walked. */
  private async *entries(sorted: ReadonlyArray<{ key: string; found: Found }>, leaf?: string): AsyncGenerator<WalkRun> {
    let run: ArticleFile[] = [];
    for (let start = 0; start < sorted.length;) {
      let end = start + 1;
      while (end < sorted.length && sorted[end]?.key === sorted[start]?.key) end += 1;
      const group = sorted.slice(start, end).map((entry) => entry.found);
      start = end;
      if (group[0]?.kind === 'folder') {
        if (run.length > 0) yield { files: run };
        run = [];
        yield* this.folder(group);
      } else if (group.length === 1 && group[0]) run.push(asArticleFile(group[0], rejectionOf(group[0])));
      else {
        const { winner, strays } = separateTwins(group);
        this.strays.push(...strays);
        run.push(winner);
      }
    }
    if (run.length > 0) yield leaf === undefined ? { files: run } : { files: run, leaf };
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
