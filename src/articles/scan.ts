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
  | { readonly ok: true; readonly stamp: FileStamp }
  | { readonly ok: false; readonly reason: string };

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
    if (twins.length === 1) return twins.map(({ raw: _raw, ...file }) => file);
    const byteOrder = (a: { raw: string }, b: { raw: string }) => Buffer.compare(Buffer.from(a.raw), Buffer.from(b.raw));
    const [winner, ...losers] = [...twins].sort((a, b) => Number(b.raw === b.path) - Number(a.raw === a.path) || byteOrder(a, b));
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
 * Every article file under `root`, recursively, sorted by path. Hidden files and folders are skipped; symlinked
 * folders, and FIFOs, sockets and devices with an article's name, are listed already rejected, so they are reported.
 */
export async function listArticleFiles(root: string): Promise<ArticleFile[]> {
  const found: Array<ArticleFile & { raw: string }> = [];
  const walk = async (dir: string) => {
    for (const dirent of await fs.promises.readdir(dir, { withFileTypes: true })) {
      if (dirent.name.startsWith('.')) continue;
      const absolute = path.join(dir, dirent.name);
      const raw = path.relative(root, absolute).split(path.sep).join('/');
      if (dirent.isDirectory()) await walk(absolute);
      else if (dirent.isSymbolicLink() && statOrUndefined(absolute)?.isDirectory())
        found.push({ absolute, raw, path: raw.normalize('NFC'), rejection: SYMLINKED_FOLDER });
      else if (isArticleName(dirent.name)) found.push({ absolute, raw, path: raw.normalize('NFC') });
    }
  };
  await walk(root);
  return separateNormalisationTwins(found).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, and the pass with it.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/**
 * Opens a file that is a regular file inside `realRoot` and hands its descriptor and stats to `use`. Any component
 * of its path may have been swapped for a symlink since the folder was listed, so its real path is checked, before
 * opening (opening a device can have effects of its own), and the descriptor must then be that very file.
 */
function withArticleFile<T extends Inspection | ReadResult>(
  realRoot: string,
  file: ArticleFile,
  use: (fd: number, stats: fs.Stats) => T,
): T | { ok: false; reason: string } {
  if (file.rejection !== undefined) return { ok: false, reason: file.rejection };
  let fd: number | undefined;
  try {
    const real = fs.realpathSync.native(file.absolute);
    if (!isInside(realRoot, real))
      return {
        ok: false,
        reason: fs.lstatSync(file.absolute).isSymbolicLink()
          ? 'symlink to a target outside ARTICLES_DIR (not followed)'
          : 'reached through a symlinked folder that leads outside ARTICLES_DIR (not followed)',
      };
    const named = fs.statSync(real);
    if (!named.isFile()) return { ok: false, reason: notRegular(named) };
    fd = fs.openSync(real, OPEN_FLAGS);
    const opened = fs.fstatSync(fd);
    if (opened.dev !== named.dev || opened.ino !== named.ino)
      return { ok: false, reason: 'file was replaced while it was being opened; it is read again on the next pass' };
    return use(fd, opened);
  } catch (error) {
    return { ok: false, reason: `could not be read (${errorCode(error)})` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Stats one file without reading it; symlinks are followed only when they stay inside `realRoot`. */
export function inspectArticleFile(realRoot: string, file: ArticleFile, maxBytes: number): Inspection {
  return withArticleFile(realRoot, file, (_fd, stats): Inspection => {
    if (stats.size > maxBytes) return { ok: false, reason: `file is ${stats.size} bytes, over MAX_ARTICLE_BYTES (${maxBytes})` };
    return { ok: true, stamp: { size: stats.size, mtimeMs: stats.mtimeMs } };
  });
}

/**
 * Reads a file whole, from the descriptor that was checked to lie inside `realRoot`, and hashes it; a file that
 * changes while being read is reported, not half-taken.
 */
export function readArticleFile(realRoot: string, file: ArticleFile, stamp: FileStamp): ReadResult {
  return withArticleFile(realRoot, file, (fd): ReadResult => {
    const bytes = fs.readFileSync(fd);
    const after = fs.fstatSync(fd);
    if (after.mtimeMs !== stamp.mtimeMs || after.size !== stamp.size || bytes.length !== stamp.size)
      return { ok: false, reason: 'file changed while it was being read; it is read again on the next pass' };
    return { ok: true, bytes, hash: createHash('sha256').update(bytes).digest('hex'), stamp };
  });
}
