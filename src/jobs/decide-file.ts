import type { FileStamp, ReadResult } from '../articles/scan.js';
import { parseArticleFile } from '../articles/parse.js';
import type { NormalisedEntry } from '../entries/entry.js';
import { normaliseArticle } from '../entries/normalise.js';
import { isPublished, type SourceFile, type StoredStamp } from '../store/store.js';

export interface DecideContext {
  readonly now: string;
  readonly language: string;
  readonly defaultAuthor: string;
}

/** What one pass does with one file. */
export type FileDecision =
  | { readonly kind: 'unchanged'; readonly restamp?: SourceFile }
  | {
      readonly kind: 'upsert';
      readonly file: SourceFile;
      readonly entry: NormalisedEntry;
      readonly isNew: boolean;
      /** The id the file published under before: its entry goes when the file moves to another id. */
      readonly replaces: string | null;
    }
  | { readonly kind: 'reject'; readonly file: SourceFile; readonly reason: string; readonly idHeldBy?: string };

/** Everything analysing a file's text needs: plain data, so it can cross to a worker thread. */
export interface AnalysisInput {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly firstSeen: string;
  readonly lastChanged: string | null;
  readonly context: DecideContext;
}

export type Analysis =
  { readonly ok: true; readonly entry: NormalisedEntry } | { readonly ok: false; readonly reason: string };

const isPublishedRecord = (known: SourceFile | undefined): known is SourceFile =>
  known !== undefined && isPublished(known.entryKey, known.rejection !== null);

/** An accepted file whose size and mtime are as stored is not read again. Rejected files are always retried. */
export function needsRead(known: StoredStamp | undefined, stamp: FileStamp): boolean {
  return !known?.published || known.size !== stamp.size || known.mtimeMs !== stamp.mtimeMs;
}

/** A published file whose bytes hash as before: nothing to parse, only its new stamp to remember. */
export function unchangedText(known: SourceFile | undefined, read: ReadResult): FileDecision | undefined {
  if (!read.ok || !isPublishedRecord(known) || known.hash !== read.hash) return undefined;
  return { kind: 'unchanged', restamp: { ...known, size: read.stamp.size, mtimeMs: read.stamp.mtimeMs } };
}

/** When the file was first seen and last changed, as this pass will record it. */
export function fileTimes(
  known: SourceFile | undefined,
  hash: string,
  now: string,
): { firstSeen: string; lastChanged: string | null } {
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

/** Whether a file may publish under the id it claims; if not, which file holds it. */
export type IdGrant = { readonly granted: true } | { readonly granted: false; readonly heldBy: string };

/** Pure: the fate of an analysed file, given whether it may publish under the id it claims (`grant`). */
export function decideFile(
  path: string,
  known: SourceFile | undefined,
  read: Extract<ReadResult, { ok: true }>,
  analysis: Analysis,
  grant: (key: string) => IdGrant,
  now: string,
): FileDecision {
  if (!analysis.ok) return rejectFile(path, known, analysis.reason, now, read);
  const { entry } = analysis;
  const id = grant(entry.key);
  if (!id.granted)
    return {
      ...rejectFile(path, known, `its id is already used by ${id.heldBy}`, now, read),
      idHeldBy: id.heldBy,
    };
  return {
    kind: 'upsert',
    entry,
    isNew: known?.entryKey == null,
    replaces: known?.entryKey ?? null,
    file: {
      path,
      hash: read.hash,
      ...read.stamp,
      entryKey: entry.key,
      ...fileTimes(known, read.hash, now),
      rejection: null,
    },
  };
}

interface IdClaim {
  readonly path: string;
  readonly previousKey: string | null;
  readonly key: string;
}

/**
 * Who holds each entry id during one pass, read from the store (with the pass's own writes) a batch of files at a
 * time, so that nothing here grows with the number of files. A file that published under an id holds it until the
 * pass has decided that file. A file moving to another id, or claiming one whose holder is not decided yet, waits
 * for the end of the pass: only then is it known which ids were let go, so that files can trade ids (a swap) in
 * one pass. A file whose claim fails keeps the id it had, so that its last good entry stays published.
 */
export class EntryIdClaims {
  /** The holders of the ids claimed in the current batch, as files are decided in it (null: nobody). */
  private holders = new Map<string, string | null>();
  private readonly waiting: IdClaim[] = [];
  private readonly waitingPaths = new Set<string>();
  private readonly settled = new Map<string, IdGrant>();

  /**
   * `lookup`: the store's holders of some ids, with this pass's writes so far. `decided`: whether the pass is done
   * with a file (it has passed it in path order, or the file is outside what the pass examines).
   */
  constructor(
    private readonly lookup: (keys: readonly string[]) => Promise<ReadonlyMap<string, string>>,
    private readonly decided: (path: string) => boolean,
  ) {}

  /** Reads who holds the ids a batch of files claims, before the batch is decided in path order. */
  async load(keys: Iterable<string>): Promise<void> {
    const wanted = [...new Set(keys)];
    const found = wanted.length > 0 ? await this.lookup(wanted) : new Map<string, string>();
    this.holders = new Map(wanted.map((key) => [key, found.get(key) ?? null]));
  }

  private holderOf(key: string): string | null {
    const holder = this.holders.get(key);
    if (holder === undefined) throw new Error(`id "${key}" was claimed without being loaded`);
    return holder;
  }

  /** Whether a claim must wait for the end of the pass (and is then recorded as waiting). */
  waits(claim: IdClaim): boolean {
    const holder = this.holderOf(claim.key);
    const mustWait =
      (claim.previousKey !== null && claim.previousKey !== claim.key) ||
      (holder !== null && holder !== claim.path && (this.waitingPaths.has(holder) || !this.decided(holder)));
    if (mustWait) {
      this.waiting.push(claim);
      this.waitingPaths.add(claim.path);
    }
    return mustWait;
  }

  /** Remembers a decided file that did not wait: an upsert holds its id from now on. */
  record(path: string, decision: FileDecision): void {
    if (decision.kind === 'upsert' && this.holders.has(decision.entry.key)) this.holders.set(decision.entry.key, path);
  }

  /** A file that is gone lets its id go. */
  release(key: string): void {
    if (this.holders.has(key)) this.holders.set(key, null);
  }

  grant(path: string, key: string): IdGrant {
    const settled = this.settled.get(path);
    if (settled) return settled;
    const holder = this.holderOf(key);
    return holder !== null && holder !== path ? { granted: false, heldBy: holder } : { granted: true };
  }

  /**
   * Settles every waiting claim, once all other files are decided. A claim fails when a decided file or a failed
   * claimant (which keeps its old id) holds the id, or when a claim earlier in path order takes it; each failure can
   * keep another id, so this repeats until nothing changes.
   */
  async settleWaiting(): Promise<void> {
    await this.load(this.waiting.map((claim) => claim.key));
    const failed = new Set<string>();
    const kept = (key: string) => {
      const holder = this.holderOf(key);
      return holder !== null && (!this.waitingPaths.has(holder) || failed.has(holder)) ? holder : undefined;
    };
    const taken = new Map<string, string>();
    for (let changed = true; changed;) {
      changed = false;
      taken.clear();
      for (const claim of this.waiting) {
        if (failed.has(claim.path)) continue;
        const holder = kept(claim.key) ?? taken.get(claim.key);
        if (holder === undefined || holder === claim.path) taken.set(claim.key, claim.path);
        else {
          failed.add(claim.path);
          changed = true;
        }
      }
    }
    for (const claim of this.waiting) {
      const holder = kept(claim.key) ?? taken.get(claim.key);
      this.settled.set(
        claim.path,
        holder !== undefined && holder !== claim.path ? { granted: false, heldBy: holder } : { granted: true },
      );
    }
  }
}
