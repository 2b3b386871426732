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
  | { readonly kind: 'reject'; readonly file: SourceFile; readonly reason: string; readonly idHeldBy?: string };

/** Everything analysing a file's text needs: plain data, so it can cross to a worker thread. */
export interface AnalysisInput {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly firstSeen: string;
  readonly lastChanged: string | null;
  readonly context: DecideContext;
}

export type Analysis = { readonly ok: true; readonly entry: NormalisedEntry } | { readonly ok: false; readonly reason: string };

const isPublished = (known: SourceFile | undefined): known is SourceFile & { entryKey: string } =>
  known !== undefined && known.rejection === null && known.entryKey !== null;

/** An accepted file whose size and mtime are as stored is not read again. Rejected files are always retried. */
export function needsRead(known: SourceFile | undefined, stamp: FileStamp): boolean {
  return !isPublished(known) || known.size !== stamp.size || known.mtimeMs !== stamp.mtimeMs;
}

/** A published file whose bytes hash as before: nothing to parse, only its new stamp to remember. */
export function unchangedText(known: SourceFile | undefined, read: ReadResult): FileDecision | undefined {
  if (!read.ok || !isPublished(known) || known.hash !== read.hash) return undefined;
  return { kind: 'unchanged', restamp: { ...known, size: read.stamp.size, mtimeMs: read.stamp.mtimeMs } };
}

/** When the file was first seen and last changed, as this pass will record it. */
export function fileTimes(known: SourceFile | undefined, hash: string, now: string): { firstSeen: string; lastChanged: string | null } {
  const textChanged = known !== undefined && known.hash !== '' && known.hash !== hash;
  return { firstSeen: known?.firstSeen ?? now, lastChanged: textChanged ? now : (known?.lastChanged ?? null) };
}

/** Pure and worker-safe: decode, parse and normalise one file's bytes. */
export function analyseFile(input: AnalysisInput): Analysis {
  const parsed = parseArticleFile(input.path, input.bytes);
  if (!parsed.ok) return parsed;
  return normaliseArticle(parsed.article, {
    sourcePath: input.path,
    firstSeen: input.firstSeen,
    lastChanged: input.lastChanged ?? undefined,
    language: input.context.language,
    defaultAuthor: input.context.defaultAuthor,
  });
}

/** Rejects a file; a file that was published and then went bad keeps its last good entry (entryKey stays). */
export function rejectFile(
  path: string,
  known: SourceFile | undefined,
  reason: string,
  now: string,
  read?: ReadResult,
): Extract<FileDecision, { kind: 'reject' }> {
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
 * Pure: the fate of an analysed file, given which file owns each entry key so far in this pass
 * (`keyOwners`: a file that already holds an id keeps it; a newcomer claiming it is rejected).
 */
export function decideFile(
  path: string,
  known: SourceFile | undefined,
  read: Extract<ReadResult, { ok: true }>,
  analysis: Analysis,
  keyOwners: ReadonlyMap<string, string>,
  now: string,
): FileDecision {
  if (!analysis.ok) return rejectFile(path, known, analysis.reason, now, read);
  const { entry } = analysis;
  const owner = keyOwners.get(entry.key);
  if (owner !== undefined && owner !== path)
    return { ...rejectFile(path, known, `id "${entry.key}" is already used by ${owner}`, now, read), idHeldBy: owner };
  return {
    kind: 'upsert',
    entry,
    isNew: known?.entryKey == null,
    file: { path, hash: read.hash, ...read.stamp, entryKey: entry.key, ...fileTimes(known, read.hash, now), rejection: null },
  };
}
