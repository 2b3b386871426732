import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * An article file's place in ARTICLES_DIR ("/"-separated, NFC) and on disk. `rejection` says why the listing
 * already refuses it; such a file keeps its name as it is on disk when another file holds its NFC name.
 */
export interface ArticleFile {
  readonly path: string;
  readonly absolute: string;
  /** A regular file (not a symlink) the walk found in a folder it entered itself: its lstat then. */
  readonly stamp?: FileStamp;
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

/** Whether `target` lies strictly inside `root`. */
export const isInside = (root: string, target: string) => {
  const relative = path.relative(root, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'unknown error';

function notRegular(stats: fs.Stats): string {
  if (stats.isDirectory()) return 'a folder, not a regular file';
  if (stats.isFIFO()) return 'a FIFO (named pipe), not a regular file';
  if (stats.isSocket()) return 'a socket, not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device, not a regular file';
  return 'not a regular file';
}

// Per-file calls are synchronous on purpose: a stat or a read of a small file takes microseconds, far less than
// a round trip through the thread pool and a promise; the job calls them in small batches and yields between.

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

/**
 * Stats one file without reading it; symlinks are followed only when they stay inside `realRoot`. A regular file
 * the walk found keeps the stamp of the lstat that found it: resolving every component of its path again would be
 * most of an unchanged pass at a million files. Should a folder on its path be swapped for a symlink meanwhile,
 * nothing is read on the strength of that stamp: a file is read (and published) only through readArticleFile.
 */
export function inspectArticleFile(realRoot: string, file: ArticleFile, maxBytes: number): Inspection {
  try {
    let stamp = file.rejection === undefined ? file.stamp : undefined;
    if (!stamp) {
      const located = locate(realRoot, file);
      if (!located.ok) return located;
      stamp = { size: located.stats.size, mtimeMs: located.stats.mtimeMs };
    }
    const { size, mtimeMs } = stamp;
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
