import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ARTICLE_EXTENSIONS } from './parse.js';

/** One article file as found on disk; `bytes` is absent when it could not or should not be read. */
export type ScannedFile =
  | { readonly path: string; readonly ok: true; readonly bytes: Buffer; readonly hash: string }
  | { readonly path: string; readonly ok: false; readonly reason: string };

const isArticleName = (name: string) =>
  !name.startsWith('.') && (ARTICLE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());

const isInside = (root: string, target: string) => {
  const relative = path.relative(root, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

async function readStable(file: string, maxBytes: number): Promise<{ bytes: Buffer } | { reason: string }> {
  const before = await fs.stat(file);
  if (!before.isFile()) return { reason: 'not a regular file' };
  if (before.size > maxBytes) return { reason: `file is ${before.size} bytes, over MAX_ARTICLE_BYTES (${maxBytes})` };
  const bytes = await fs.readFile(file);
  const after = await fs.stat(file);
  // A writer still at work: take nothing half-written, the next pass reads it whole.
  if (after.mtimeMs !== before.mtimeMs || after.size !== before.size || bytes.length !== before.size)
    return { reason: 'file changed while it was being read; it is read again on the next pass' };
  return { bytes };
}

async function scanOne(root: string, absolute: string, relative: string, maxBytes: number): Promise<ScannedFile> {
  try {
    const link = await fs.lstat(absolute);
    if (link.isSymbolicLink()) {
      const target = await fs.realpath(absolute).catch(() => undefined);
      if (target === undefined || !isInside(await fs.realpath(root), target))
        return { path: relative, ok: false, reason: 'symlink to a target outside ARTICLES_DIR (not followed)' };
    }
    const read = await readStable(absolute, maxBytes);
    if ('reason' in read) return { path: relative, ok: false, reason: read.reason };
    return { path: relative, ok: true, bytes: read.bytes, hash: createHash('sha256').update(read.bytes).digest('hex') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { path: relative, ok: false, reason: `could not be read (${code})` };
  }
}

/** Lists and reads every article file under `root` (recursively, sorted, "/"-separated paths). Never writes. */
export async function scanArticles(root: string, maxBytes: number): Promise<ScannedFile[]> {
  const found: Array<{ absolute: string; relative: string }> = [];
  const walk = async (dir: string) => {
    const dirents = await fs.readdir(dir, { withFileTypes: true });
    for (const dirent of dirents) {
      const absolute = path.join(dir, dirent.name);
      if (dirent.isDirectory() && !dirent.name.startsWith('.')) await walk(absolute);
      else if ((dirent.isFile() || dirent.isSymbolicLink()) && isArticleName(dirent.name))
        found.push({ absolute, relative: path.relative(root, absolute).split(path.sep).join('/').normalize('NFC') });
    }
  };
  await walk(root);
  found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  const scanned: ScannedFile[] = [];
  for (const file of found) scanned.push(await scanOne(root, file.absolute, file.relative, maxBytes));
  return scanned;
}
