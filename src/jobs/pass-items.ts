// The items of a pass, in path order: the folder walk merged with the stored file records, each file staged (stat,
// and for a changed one its read and its analysis started) a batch at a time.
import { createHash } from 'node:crypto';
import {
  inspectArticleFile,
  readArticleFile,
  type ArticleFile,
  type FileStamp,
  type Inspection,
  type ReadResult,
} from '../articles/scan.js';
import { comparePaths } from '../articles/path-order.js';
import { walkArticleFiles } from '../articles/walk.js';
import { stampOfRecord, type SourceFile, type Store, type StoredStamp } from '../store/store.js';
import {
  fileTimes,
  needsRead,
  rejectFile,
  unchangedText,
  type Analysis,
  type DecideContext,
  type FileDecision,
} from './decide-file.js';
import type { ParsePool } from './parse-pool.js';
import type { FolderLister } from '../articles/folder-listing.js';
import { RecordReader, RunReader, StoredStampCursor, storedStamps, type StampSource } from './stored-stamps.js';

// Files staged a batch at a time, one batch ahead of the one being written; decisions stay in path order.
export const BATCH = 16;

/** A file ready to be decided; `known` is its full record, read only for files that are not unchanged. */
export type Staged = {
  readonly file: ArticleFile;
  readonly known: SourceFile | undefined;
  /** The folder it completes, when its folder is a leaf (see WalkRun) whose fingerprint did not match. */
  readonly leaf?: LeafProgress;
} & (
  | { readonly decision: FileDecision }
  | { readonly read: Extract<ReadResult, { ok: true }>; readonly analysis: Promise<Analysis> }
);
export type Analysed = Extract<Staged, { readonly analysis: unknown }>;
/** A stored file the walk did not find: the pass retracts it. */
interface Gone {
  readonly gone: StoredStamp;
}
/** A leaf folder whose fingerprint matched: all its files are unchanged, and none was looked at one by one. */
interface FolderUnchanged {
  readonly unchanged: number;
  readonly last: string;
}
/** A folder that could not be listed: the records stored under it are kept, and it is reported. */
interface FolderUnreadable {
  readonly unreadable: { readonly folder: string; readonly reason: string };
  /** Stored files under it, kept as they are. */
  readonly kept: number;
}
export type Item = Staged | Gone | FolderUnchanged | FolderUnreadable;

/** A leaf folder being decided file by file: once every file is unchanged or published, its fingerprint is kept. */
export interface LeafProgress {
  readonly folder: string;
  readonly fingerprint: string;
  left: number;
  clean: boolean;
}

/** Counts one file of a leaf folder as decided; whether that completes the folder with every file published. */
export function leafDecided(leaf: LeafProgress, published: boolean): boolean {
  leaf.clean &&= published;
  leaf.left -= 1;
  return leaf.left === 0 && leaf.clean;
}

/**
 * What a leaf folder's files are, for a full pass to compare with the fingerprint kept in the store: the digest of
 * each name, size and mtime (see FolderListing), and MAX_ARTICLE_BYTES (lowering it must reject files it would
 * otherwise skip).
 */
const folderFingerprint = (digest: string, maxBytes: number) =>
  createHash('sha256').update(`${maxBytes}\n${digest}`).digest('base64');

const UNCHANGED: FileDecision = { kind: 'unchanged' };

/**
 * Stats a file on this thread; most files of a large pass end here, unchanged, without a promise or a read of
 * their full record. The others are read and handed to the pool for parsing.
 */
function stage(
  realRoot: string,
  file: ArticleFile,
  stored: StoredStamp | undefined,
  deps: StageDeps,
  records: RecordReader,
): Staged | Promise<Staged> {
  const inspection = inspectArticleFile(realRoot, file, deps.maxBytes);
  if (inspection.ok && stored && !needsRead(stored, inspection.stamp))
    return { file, known: undefined, decision: UNCHANGED };
  return stageChanged(realRoot, file, stored && records.read(stored.path), inspection, deps);
}

/**
 * Stages a file that was read and analysed earlier in the pass once more, from its stamp then: read again, it is
 * analysed again only if its bytes are still those (`hash`); otherwise it is rejected until the next pass. A file
 * whose id claim waits for the end of the pass is kept this way, without its text and analysis.
 */
export async function stageAgain(
  realRoot: string,
  file: ArticleFile,
  known: SourceFile | undefined,
  read: { readonly hash: string; readonly stamp: FileStamp },
  deps: StageDeps,
): Promise<Staged> {
  return stageChanged(realRoot, file, Promise.resolve(known), { ok: true, stamp: read.stamp }, deps, read.hash);
}

async function stageChanged(
  realRoot: string,
  file: ArticleFile,
  record: Promise<SourceFile | undefined> | undefined,
  inspection: Inspection,
  deps: StageDeps,
  /** The hash of the bytes read earlier in the pass, when the file is staged again (see stageAgain). */
  readBefore?: string,
): Promise<Staged> {
  const known = await record;
  if (!inspection.ok)
    return { file, known, decision: rejectFile(file.path, known, inspection.reason, deps.context.now) };
  if (!needsRead(known && stampOfRecord(known), inspection.stamp)) return { file, known, decision: UNCHANGED };
  const read = readArticleFile(realRoot, file, inspection.stamp);
  if (!read.ok) return { file, known, decision: rejectFile(file.path, known, read.reason, deps.context.now) };
  if (readBefore !== undefined && read.hash !== readBefore) {
    const reason = 'file changed while the pass was deciding it; it is read again on the next pass';
    return { file, known, decision: rejectFile(file.path, known, reason, deps.context.now) };
  }
  const same = unchangedText(known, read);
  if (same) return { file, known, decision: same };
  const times = fileTimes(known, read.hash, deps.context.now);
  return {
    file,
    known,
    read,
    analysis: deps.pool().analyse({ path: file.path, bytes: read.bytes, ...times, context: deps.context }),
  };
}

export interface StageDeps {
  readonly store: Store;
  readonly maxBytes: number;
  readonly context: DecideContext;
  readonly pool: () => ParsePool;
  /** Lists the folders of a full pass. */
  readonly lister?: FolderLister;
}

/** A batch once every item is staged; a batch of unchanged files costs no promise per file. */
async function whenStaged(items: ReadonlyArray<Item | Promise<Item>>): Promise<Item[]> {
  if (!items.some((item) => item instanceof Promise)) return items as Item[];
  return Promise.all(items.map((item) => Promise.resolve(item)));
}

/**
 * The folder walk merged with the stored file records, in path order, staged a batch at a time: neither side is
 * ever held whole. Twin losers, whose names are not NFC, sort apart from where the walk finds them: they and the
 * records under such names come last.
 */
export async function* passItems(
  realRoot: string,
  roots: readonly string[] | undefined,
  deps: StageDeps,
): AsyncGenerator<Item[]> {
  const walk = walkArticleFiles(realRoot, roots, deps.lister);
  // A full pass reads every record and may skip a folder's; a pass over `only` reads just the records under it.
  let cursor: StoredStampCursor | undefined;
  let stamps: StampSource;
  if (roots === undefined) stamps = cursor = new StoredStampCursor(deps.store);
  else stamps = new RunReader(storedStamps(deps.store, roots)[Symbol.asyncIterator]());
  const records = new RecordReader(deps.store);
  const offside = new Map<string, StoredStamp>();
  let batch: Array<Item | Promise<Item>> = [];
  const full = () => batch.length >= BATCH;
  const take = async () => {
    const items = await whenStaged(batch);
    batch = [];
    return items;
  };
  // A record no file matched is gone; one under a name that is not NFC belongs to a twin loser, decided last.
  const unmatched = (stamp: StoredStamp) => {
    if (stamp.path === stamp.path.normalize('NFC')) batch.push({ gone: stamp });
    else offside.set(stamp.path, stamp);
  };

  for await (const run of walk.files) {
    if (run.unreadable) {
      const under = `${run.unreadable.folder}/`;
      let kept = 0;
      for (let stamp = await stamps.peek(); stamp && comparePaths(stamp.path, under) < 0; stamp = await stamps.peek()) {
        stamps.take();
        unmatched(stamp);
        if (full()) yield await take();
      }
      // Unknown is not gone: a permission glitch must not retract a section of the archive.
      for (let stamp = await stamps.peek(); stamp?.path.startsWith(under); stamp = await stamps.peek()) {
        stamps.take();
        kept += 1;
      }
      batch.push({ unreadable: run.unreadable, kept });
      if (full()) yield await take();
      continue;
    }
    let leaf: LeafProgress | undefined;
    if (cursor && run.leaf !== undefined) {
      const { folder } = run.leaf;
      const fingerprint = folderFingerprint(run.leaf.digest, deps.maxBytes);
      if ((await deps.store.folderStamp(folder)) === fingerprint) {
        // Whatever is stored before the folder's own records ("vesti.txt" sorts before "vesti/…") and was not
        // walked is gone.
        const before = folder === '' ? '' : `${folder}/`;
        for (let stamp = await cursor.peekBefore(before); stamp; stamp = await cursor.peekBefore(before)) {
          cursor.take();
          unmatched(stamp);
          if (full()) yield await take();
        }
        // No file of the folder is looked at, and none of its records read: the fingerprint says they agree.
        cursor.skipBefore(folder === '' ? undefined : `${folder}0`);
        batch.push({ unchanged: run.count, last: run.last });
        if (full()) yield await take();
        continue;
      }
      leaf = { folder, fingerprint, left: run.count, clean: true };
    }
    for (const file of run.files) {
      let stamp = await stamps.peek();
      for (; stamp && comparePaths(stamp.path, file.path) < 0; stamp = await stamps.peek()) {
        stamps.take();
        unmatched(stamp);
        if (full()) yield await take();
      }
      const stored = stamp?.path === file.path ? stamp : undefined;
      if (stored) stamps.take();
      const staged = stage(realRoot, file, stored, deps, records);
      batch.push(
        !leaf ? staged : staged instanceof Promise ? staged.then((item) => ({ ...item, leaf })) : { ...staged, leaf },
      );
      if (full()) yield await take();
    }
  }
  for (let stamp = await stamps.peek(); stamp; stamp = await stamps.peek()) {
    stamps.take();
    unmatched(stamp);
    if (full()) yield await take();
  }
  if (batch.length > 0) yield await take();
  for (let start = 0; start < walk.strays.length; start += BATCH)
    yield whenStaged(
      walk.strays.slice(start, start + BATCH).map((file) => {
        const stored = offside.get(file.path);
        offside.delete(file.path);
        return stage(realRoot, file, stored, deps, records);
      }),
    );
  const gone = [...offside.values()];
  for (let start = 0; start < gone.length; start += BATCH)
    yield gone.slice(start, start + BATCH).map((stored) => ({ gone: stored }));
}
