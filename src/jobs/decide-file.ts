import type { FileStamp, ReadResult } from '../articles/scan.js';
import { parseArticleFile } from '../articles/parse.js';
import type { NormalisedEntry } from '../entries/entry.js';
import { normaliseArticle } from '../entries/normalise.js';
import type { SourceFile } from '../store/store.js';

export interface DecideContext {
  readonly now: string;
  readonly language: string;
  readonly defaultAuthor: string;
}

/** What one pass does with one file. */
export type FileDecision =
  | { readonly kind: 'unchanged'; readonly restamp?: SourceFile }
  | { readonly kind: 'upsert'; readonly file: SourceFile; readonly entry: NormalisedEntry; readonly isNew: boolean }
  | { readonly kind: 'reject'; readonly file: SourceFile; readonly reason: string };

const isPublished = (known: SourceFile | undefined): known is SourceFile & { entryKey: string } =>
  known !== undefined && known.rejection === null && known.entryKey !== null;

/** An accepted file whose size and mtime are as stored is not read again. Rejected files are always retried. */
export function needsRead(known: SourceFile | undefined, stamp: FileStamp): boolean {
  return !isPublished(known) || known.size !== stamp.size || known.mtimeMs !== stamp.mtimeMs;
}

/** Rejects a file; a file that was published and then went bad keeps its last good entry (entryKey stays). */
export function rejectFile(path: string, known: SourceFile | undefined, reason: string, now: string, read?: ReadResult): FileDecision {
  const stamp = read?.ok ? read.stamp : { size: known?.size ?? 0, mtimeMs: known?.mtimeMs ?? 0 };
  return {
    kind: 'reject',
    reason,
    file: {
      path,
      hash: read?.ok ? read.hash : (known?.hash ?? ''),
      ...stamp,
      entryKey: known?.entryKey ?? null,
      firstSeen: known?.firstSeen ?? now,
      lastChanged: known?.lastChanged ?? null,
      rejection: reason,
    },
  };
}

/**
 * Pure: decides a read file's fate from its bytes, what the store remembers of it, and which file owns each
 * entry key so far in this pass (`keyOwners`: the file that already holds an id keeps it).
 */
export function decideFile(
  path: string,
  known: SourceFile | undefined,
  read: ReadResult,
  keyOwners: ReadonlyMap<string, string>,
  context: DecideContext,
): FileDecision {
  if (!read.ok) return rejectFile(path, known, read.reason, context.now);
  if (isPublished(known) && known.hash === read.hash)
    return { kind: 'unchanged', restamp: { ...known, size: read.stamp.size, mtimeMs: read.stamp.mtimeMs } };
  const parsed = parseArticleFile(path, read.bytes);
  if (!parsed.ok) return rejectFile(path, known, parsed.reason, context.now, read);
  const textChanged = known !== undefined && known.hash !== read.hash && known.hash !== '';
  const lastChanged = textChanged ? context.now : (known?.lastChanged ?? null);
  const firstSeen = known?.firstSeen ?? context.now;
  const normalised = normaliseArticle(parsed.article, {
    sourcePath: path,
    firstSeen,
    lastChanged: lastChanged ?? undefined,
    language: context.language,
    defaultAuthor: context.defaultAuthor,
  });
  if (!normalised.ok) return rejectFile(path, known, normalised.reason, context.now, read);
  const { entry } = normalised;
  const owner = keyOwners.get(entry.key);
  if (owner !== undefined && owner !== path)
    return rejectFile(path, known, `id "${entry.key}" is already used by ${owner}`, context.now, read);
  return {
    kind: 'upsert',
    entry,
    isNew: known?.entryKey == null,
    file: { path, hash: read.hash, ...read.stamp, entryKey: entry.key, firstSeen, lastChanged, rejection: null },
  };
}
