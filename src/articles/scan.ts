import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ARTICLE_EXTENSIONS } from './parse.js';

/** An article file's place in ARTICLES_DIR ("/"-separated, NFC) and on disk. */
export interface ArticleFile {
  readonly path: string;
  readonly absolute: string;
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

function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

// Per-file calls are synchronous on purpose: a stat or a read of a small file takes microseconds, far less than
// a round trip through the thread pool and a promise; the job calls them in small batches and yields between.

/** Every article file under `root`, recursively, sorted by path. Hidden files and folders are skipped. */
export async function listArticleFiles(root: string): Promise<ArticleFile[]> {
  const found: ArticleFile[] = [];
  const walk = async (dir: string) => {
    for (const dirent of await fs.promises.readdir(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, dirent.name);
      if (dirent.isDirectory() && !dirent.name.startsWith('.')) await walk(absolute);
      else if ((dirent.isFile() || dirent.isSymbolicLink()) && isArticleName(dirent.name))
        found.push({ absolute, path: path.relative(root, absolute).split(path.sep).join('/').normalize('NFC') });
    }
  };
  await walk(root);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Stats one file without reading it; symlinks are followed only when they stay inside `realRoot`. */
export function inspectArticleFile(realRoot: string, file: ArticleFile, maxBytes: number): Inspection {
  try {
    const link = fs.lstatSync(file.absolute);
    if (link.isSymbolicLink()) {
      const target = realpathOrUndefined(file.absolute);
      if (target === undefined || !isInside(realRoot, target))
        return { ok: false, reason: 'symlink to a target outside ARTICLES_DIR (not followed)' };
    }
    const stats = link.isSymbolicLink() ? fs.statSync(file.absolute) : link;
    if (!stats.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stats.size > maxBytes) return { ok: false, reason: `file is ${stats.size} bytes, over MAX_ARTICLE_BYTES (${maxBytes})` };
    return { ok: true, stamp: { size: stats.size, mtimeMs: stats.mtimeMs } };
  } catch (error) {
    return { ok: false, reason: `could not be read (${errorCode(error)})` };
  }
}

/** Reads a file whole and hashes it; a file that changes while being read is reported, not half-taken. */
export function readArticleFile(file: ArticleFile, stamp: FileStamp): ReadResult {
  try {
    const bytes = fs.readFileSync(file.absolute);
    const after = fs.statSync(file.absolute);
    if (after.mtimeMs !== stamp.mtimeMs || after.size !== stamp.size || bytes.length !== stamp.size)
      return { ok: false, reason: 'file changed while it was being read; it is read again on the next pass' };
    return { ok: true, bytes, hash: createHash('sha256').update(bytes).digest('hex'), stamp };
  } catch (error) {
    return { ok: false, reason: `could not be read (${errorCode(error)})` };
  }
}
