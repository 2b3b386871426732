import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ARTICLE_EXTENSIONS } from './parse.js';

/**
 * An article file's place in ARTICLES_DIR ("/"-separated, NFC) and on disk. `rejection` says why the listing
 * already refuses it; such a file keeps its name as it is on disk when another file holds its NFC name.
 */
export interface ArticleFile {
  readonly path: string;
  readonly absolute: string;
  readonly rejection?: string;
}

/** What `stat` says of a file: enough to skip re-reading an untouched one. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

export type Inspection =
  { readonly ok: true; readonly stamp: FileStamp } | { readonly ok: false; readonly reason: string };

export type ReadResult =
  | { readonly ok: true; readonly bytes: Buffer; readonly hash: string; readonly stamp: FileStamp }
  | { readonly ok: false; readonly reason: string };

const isArticleName = (name: string) =>
  !name.startsWith('.') && (ARTICLE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());

const isInside = (root: string, target: string) => {
  const relative = path.relative(root, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'unknown error';

const SYMLINKED_FOLDER = 'symlink to a folder (folders are not followed through symlinks)';

function notRegular(stats: fs.Stats): string {
  if (stats.isDirectory()) return 'a folder, not a regular file';
  if (stats.isFIFO()) return 'a FIFO (named pipe), not a regular file';
  if (stats.isSocket()) return 'a socket, not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device, not a regular file';
  return 'not a regular file';
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Two names that are one once NFC-normalised (é precomposed and decomposed) would take turns publishing one entry.
 * The one already in NFC keeps the name, else the byte-wise smallest; the others are rejected under their own name.
 */
function separateNormalisationTwins(found: Array<ArticleFile & { raw: string }>): ArticleFile[] {
  const byPath = new Map<string, Array<ArticleFile & { raw: string }>>();
  for (const file of found) byPath.set(file.path, [...(byPath.get(file.path) ?? []), file]);
  return [...byPath.values()].flatMap((twins) => {
    if (twins.length === 1)
      return twins.map(({ path, absolute, rejection }) =>
        rejection === undefined ? { path, absolute } : { path, absolute, rejection },
      );
    const byteOrder = (a: { raw: string }, b: { raw: string }) =>
      Buffer.compare(Buffer.from(a.raw), Buffer.from(b.raw));
    const [winner, ...losers] = [...twins].sort(
      (a, b) => Number(b.raw === b.path) - Number(a.raw === a.path) || byteOrder(a, b),
    );
    if (!winner) return [];
    return [
      { path: winner.path, absolute: winner.absolute },
      ...losers.map((loser) => ({
        path: loser.raw,
        absolute: loser.absolute,
        rejection: `its name differs from ${winner.raw}'s only in Unicode normalisation; ${winner.raw} is the one published`,
      })),
    ];
  });
}

// Per-file calls are synchronous on purpose: a stat or a read of a small file takes microseconds, far less than
// a round trip through the thread pool and a promise; the job calls them in small batches and yields between.

/**
 * Every article file under `root`, recursively, sorted by path; or, given `only` (paths relative to `root`, as a
 * file watcher reports them), just those files and everything under those of them that are folders. Hidden files
 * and folders are skipped; symlinked folders, and FIFOs, sockets and devices with an article's name, are listed
 * already rejected, so they are reported.
 */
export async function listArticleFiles(root: string, only?: readonly string[]): Promise<ArticleFile[]> {
  const found = new Map<string, ArticleFile & { raw: string }>();
  // A watcher may report a folder and a file inside it: each file is listed once.
  const add = (file: ArticleFile & { raw: string }) => found.set(file.raw, file);
  const visit = async (absolute: string, name: string, kind: fs.Dirent | fs.Stats) => {
    if (name.startsWith('.')) return;
    const raw = path.relative(root, absolute).split(path.sep).join('/');
    if (kind.isDirectory()) await walk(absolute);
    else if (kind.isSymbolicLink() && statOrUndefined(absolute)?.isDirectory())
      add({ absolute, raw, path: raw.normalize('NFC'), rejection: SYMLINKED_FOLDER });
    else if (isArticleName(name)) add({ absolute, raw, path: raw.normalize('NFC') });
  };
  const walk = async (dir: string) => {
    for (const dirent of await fs.promises.readdir(dir, { withFileTypes: true }))
      await visit(path.join(dir, dirent.name), dirent.name, dirent);
  };
  if (only === undefined) await walk(root);
  else
    for (const relative of new Set(only)) {
      const absolute = path.join(root, relative);
      // Gone since the watcher saw it (deleted, renamed away): the pass retracts it; an escape is never followed.
      const stats = isInside(root, absolute) ? await fs.promises.lstat(absolute).catch(() => undefined) : undefined;
      if (stats && relative.split('/').every((part) => !part.startsWith('.')))
        await visit(absolute, path.basename(absolute), stats);
    }
  return separateNormalisationTwins([...found.values()]).sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
}

type Located =
  | { readonly ok: true; readonly real: string; readonly stats: fs.Stats }
  | { readonly ok: false; readonly reason: string };

/**
 * The real path and stats of a regular file inside `realRoot`. Any component of its path may have been swapped for
 * a symlink since the folder was listed, so the real path is what is checked; nothing is opened (opening a device
 * can have effects of its own).
 */
function locate(realRoot: string, file: ArticleFile): Located {
  if (file.rejection !== undefined) return { ok: false, reason: file.rejection };
  const real = fs.realpathSync.native(file.absolute);
  if (!isInside(realRoot, real))
    return {
      ok: false,
      reason: fs.lstatSync(file.absolute).isSymbolicLink()
        ? 'symlink to a target outside ARTICLES_DIR (not followed)'
        : 'reached through a symlinked folder that leads outside ARTICLES_DIR (not followed)',
    };
  const stats = fs.statSync(real);
  return stats.isFile() ? { ok: true, real, stats } : { ok: false, reason: notRegular(stats) };
}

/** Stats one file without reading it; symlinks are followed only when they stay inside `realRoot`. */
export function inspectArticleFile(realRoot: string, file: ArticleFile, maxBytes: number): Inspection {
  try {
    const located = locate(realRoot, file);
    if (!located.ok) return located;
    const { size, mtimeMs } = located.stats;
    if (size > maxBytes) return { ok: false, reason: `file is ${size} bytes, over MAX_ARTICLE_BYTES (${maxBytes})` };
    return { ok: true, stamp: { size, mtimeMs } };
  } catch (error) {
    return { ok: false, reason: `could not be read (${errorCode(error)})` };
  }
}

// O_NONBLOCK: should a FIFO be swapped in after `locate`, opening it must not wait for a writer, and the pass with it.
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;

/**
 * Reads a file whole, through a descriptor checked to be the regular file found inside `realRoot` (not whatever a
 * swapped path component leads to by the time it is opened), and hashes it; a file that changes while being read is
 * reported, not half-taken.
 */
export function readArticleFile(realRoot: string, file: ArticleFile, stamp: FileStamp): ReadResult {
  let fd: number | undefined;
  try {
    const located = locate(realRoot, file);
    if (!located.ok) return located;
    fd = fs.openSync(located.real, OPEN_FLAGS);
    const opened = fs.fstatSync(fd);
    if (opened.dev !== located.stats.dev || opened.ino !== located.stats.ino)
      return { ok: false, reason: 'file was replaced while it was being opened; it is read again on the next pass' };
    const bytes = fs.readFileSync(fd);
    const after = fs.fstatSync(fd);
    if (after.mtimeMs !== stamp.mtimeMs || after.size !== stamp.size || bytes.length !== stamp.size)
      return { ok: false, reason: 'file changed while it was being read; it is read again on the next pass' };
    return { ok: true, bytes, hash: createHash('sha256').update(bytes).digest('hex'), stamp };
  } catch (error) {
    return { ok: false, reason: `could not be read (${errorCode(error)})` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
