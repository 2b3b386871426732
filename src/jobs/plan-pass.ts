import type { ScannedFile } from '../articles/scan.js';
import { parseArticleFile } from '../articles/parse.js';
import type { NormalisedEntry } from '../entries/entry.js';
import { normaliseArticle } from '../entries/normalise.js';
import type { PassChanges, RejectedFile, SourceFile } from '../store/store.js';

export interface PlanContext {
  readonly now: string;
  readonly startedAt: string;
  readonly language: string;
  readonly defaultAuthor: string;
}

interface Candidate {
  readonly file: SourceFile;
  readonly entry: NormalisedEntry;
  readonly isNew: boolean;
}

function rejection(file: { path: string }, hash: string, known: SourceFile | undefined, reason: string, now: string): SourceFile {
  // A file that goes bad keeps its last good entry published (entry_key stays): nothing is lost to a broken edit.
  return {
    path: file.path,
    hash,
    entryKey: known?.entryKey ?? null,
    firstSeen: known?.firstSeen ?? now,
    lastChanged: known?.lastChanged ?? null,
    rejection: reason,
  };
}

type CandidateResult = { candidate: Candidate } | { reason: string };

function candidateFor(
  file: Extract<ScannedFile, { ok: true }>,
  known: SourceFile | undefined,
  context: PlanContext,
): CandidateResult {
  const parsed = parseArticleFile(file.path, file.bytes);
  if (!parsed.ok) return { reason: parsed.reason };
  const textChanged = known !== undefined && known.hash !== file.hash;
  const lastChanged = textChanged ? context.now : (known?.lastChanged ?? null);
  const firstSeen = known?.firstSeen ?? context.now;
  const normalised = normaliseArticle(parsed.article, {
    sourcePath: file.path,
    firstSeen,
    lastChanged: lastChanged ?? undefined,
    language: context.language,
    defaultAuthor: context.defaultAuthor,
  });
  if (!normalised.ok) return { reason: normalised.reason };
  const entry = normalised.entry;
  return {
    candidate: {
      file: { path: file.path, hash: file.hash, entryKey: entry.key, firstSeen, lastChanged, rejection: null },
      entry,
      isNew: known?.entryKey == null,
    },
  };
}

/**
 * Decides what one pass writes, from what is on disk and what the store remembers. Pure: no I/O, no clock.
 * Unchanged accepted files are skipped by content hash; rejected files are retried every pass.
 */
export function planPass(scanned: readonly ScannedFile[], knownFiles: readonly SourceFile[], context: PlanContext): PassChanges {
  const known = new Map(knownFiles.map((file) => [file.path, file]));
  const keyOwners = new Map<string, string>();
  const rejections: SourceFile[] = [];
  const rejectedFiles: RejectedFile[] = [];
  const candidates: Candidate[] = [];
  let unchanged = 0;
  const reject = (file: SourceFile) => {
    rejectedFiles.push({ path: file.path, reason: file.rejection ?? '' });
    if (file.entryKey !== null && !keyOwners.has(file.entryKey)) keyOwners.set(file.entryKey, file.path);
    const before = known.get(file.path);
    if (before?.hash !== file.hash || before.rejection !== file.rejection) rejections.push(file);
  };

  for (const file of scanned) {
    const before = known.get(file.path);
    if (file.ok && before && before.hash === file.hash && before.rejection === null && before.entryKey !== null) {
      unchanged += 1;
      keyOwners.set(before.entryKey, file.path);
      continue;
    }
    if (!file.ok) {
      reject(rejection(file, before?.hash ?? '', before, file.reason, context.now));
      continue;
    }
    const result = candidateFor(file, before, context);
    if ('reason' in result) reject(rejection(file, file.hash, before, result.reason, context.now));
    else candidates.push(result.candidate);
  }

  // Two files claiming one id: the file that already holds it (or was seen first) keeps it.
  const byAge = [...candidates].sort(
    (a, b) => Number(b.entry.key === known.get(b.file.path)?.entryKey) - Number(a.entry.key === known.get(a.file.path)?.entryKey) ||
      a.file.firstSeen.localeCompare(b.file.firstSeen) || a.file.path.localeCompare(b.file.path),
  );
  const upserts: Candidate[] = [];
  for (const candidate of byAge) {
    const owner = keyOwners.get(candidate.entry.key);
    if (owner !== undefined && owner !== candidate.file.path) {
      const reason = `id "${candidate.entry.key}" is already used by ${owner}`;
      reject(rejection(candidate.file, candidate.file.hash, known.get(candidate.file.path), reason, context.now));
      continue;
    }
    keyOwners.set(candidate.entry.key, candidate.file.path);
    upserts.push(candidate);
  }
  upserts.sort((a, b) => a.file.path.localeCompare(b.file.path));

  const present = new Set(scanned.map((file) => file.path));
  const removed = knownFiles.filter((file) => !present.has(file.path));
  return {
    upserts,
    rejections,
    removedPaths: removed.map((file) => file.path),
    summary: {
      startedAt: context.startedAt,
      finishedAt: context.now,
      scanned: scanned.length,
      new: upserts.filter((candidate) => candidate.isNew).length,
      updated: upserts.filter((candidate) => !candidate.isNew).length,
      unchanged,
      retracted: removed.filter((file) => file.entryKey !== null).length,
      rejected: rejectedFiles.length,
      rejectedFiles,
    },
  };
}
