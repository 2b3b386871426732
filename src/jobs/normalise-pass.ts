import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import { toRfc3339 } from '../articles/dates.js';
import {
  inspectArticleFile,
  readArticleFile,
  type ArticleFile,
  type Inspection,
  type ReadResult,
} from '../articles/scan.js';
import { comparePaths, outermostPaths, walkArticleFiles } from '../articles/walk.js';
import type { Config } from '../config.js';
import type {
  CommitResult,
  FileWarning,
  PassSummary,
  PassWriter,
  RejectedFile,
  SourceFile,
  Store,
  StoredStamp,
} from '../store/store.js';
import { LISTED_IN_SUMMARY, stampOfRecord } from '../store/store.js';
import {
  decideFile,
  EntryIdClaims,
  fileTimes,
  needsRead,
  rejectFile,
  unchangedText,
  type Analysis,
  type DecideContext,
  type FileDecision,
} from './decide-file.js';
import { ImageProbe } from './image-probe.js';
import { ParsePool } from './parse-pool.js';
import { RunReader, StoredStampCursor, storedStamps, type StampSource } from './pass-items.js';

export interface PassDeps {
  readonly store: Store;
  readonly config: Config;
  /** When the pass starts (default: now): recorded as the first-seen / last-changed time of files it finds. */
  readonly startedAt?: Date;
  /** Called after the pass commits, with what it changed. */
  readonly onCommit?: (result: CommitResult, summary: PassSummary) => void;
  /** Called once the pass's transaction is open, before the folder is walked. */
  readonly onStart?: () => void;
  /**
   * Only these paths (relative to ARTICLES_DIR, files or folders, as a file watcher reports them): a live edit's
   * small pass. Everything else is left as the last pass left it; without it, the whole folder is reconciled.
   */
  readonly only?: readonly string[];
  /** Finds the length (and type) of images that do not state them; without it they stay unknown. */
  readonly imageProbe?: ImageProbe;
  /** Parses the files that need it; default: a pool started for this pass and closed after it. */
  readonly parsePool?: ParsePool;
}

/** Completes an entry's image details from what the probe found before the transaction; never waits for a host. */
function withImageDetails(decision: FileDecision, probe: ImageProbe | undefined): FileDecision {
  if (decision.kind !== 'upsert' || !probe || !decision.entry.image || decision.entry.imageLength) return decision;
  const probed = probe.remembered(decision.entry.image);
  if (!probed) return decision;
  const imageType = decision.entry.imageType ?? probed.type;
  return {
    ...decision,
    entry: {
      ...decision.entry,
      ...(imageType ? { imageType } : {}),
      ...(probed.length ? { imageLength: probed.length } : {}),
    },
  };
}

// Files staged ahead of the writer and handled between two yields to the event loop; decisions stay in path order.
const BATCH = 16;

/** A file ready to be decided; `known` is its full record, read only for files that are not unchanged. */
type Staged = {
  readonly file: ArticleFile;
  readonly known: SourceFile | undefined;
  /** The folder it completes, when its folder is a leaf (see WalkRun) whose fingerprint did not match. */
  readonly leaf?: LeafProgress;
} & (
  | { readonly decision: FileDecision }
  | { readonly read: Extract<ReadResult, { ok: true }>; readonly analysis: Promise<Analysis> }
);
type Analysed = Extract<Staged, { readonly analysis: unknown }>;
/** A stored file the walk did not find: the pass retracts it. */
interface Gone {
  readonly gone: StoredStamp;
}
/** A leaf folder whose fingerprint matched: all its files are unchanged, and none was looked at one by one. */
interface FolderUnchanged {
  readonly unchanged: number;
  readonly last: string;
}
type Item = Staged | Gone | FolderUnchanged;

/** A leaf folder being decided file by file: once every file is unchanged or published, its fingerprint is kept. */
interface LeafProgress {
  readonly folder: string;
  readonly fingerprint: string;
  left: number;
  clean: boolean;
}

/** Counts one file of a leaf folder as decided; whether that completes the folder with every file published. */
function leafDecided(leaf: LeafProgress, published: boolean): boolean {
  leaf.clean &&= published;
  leaf.left -= 1;
  return leaf.left === 0 && leaf.clean;
}

/**
 * What a leaf folder's files are, for a full pass to compare with the fingerprint kept in the store: each name,
 * size and mtime, and MAX_ARTICLE_BYTES (lowering it must reject files it would otherwise skip).
 */
function folderFingerprint(files: readonly ArticleFile[], maxBytes: number): string {
  const lines = files.map((file) => `${file.path}\t${file.stamp?.size ?? -1}\t${file.stamp?.mtimeMs ?? -1}`);
  return createHash('sha256')
    .update(`${maxBytes}\n${lines.join('\n')}`)
    .digest('base64');
}

// A pass never runs on the thread that serves requests (the server's pass worker, or the CLI); yielding between
// batches lets its own event loop take in the parse pool's replies and a close request while it writes.
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const YIELD_EVERY_MS = 10;

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
): Staged | Promise<Staged> {
  const inspection = inspectArticleFile(realRoot, file, deps.maxBytes);
  if (inspection.ok && stored && !needsRead(stored, inspection.stamp))
    return { file, known: undefined, decision: UNCHANGED };
  return stageChanged(realRoot, file, stored, inspection, deps);
}

async function stageChanged(
  realRoot: string,
  file: ArticleFile,
  stored: StoredStamp | undefined,
  inspection: Inspection,
  deps: StageDeps,
): Promise<Staged> {
  const known = stored && (await deps.store.sourceFile(stored.path));
  if (!inspection.ok)
    return { file, known, decision: rejectFile(file.path, known, inspection.reason, deps.context.now) };
  if (!needsRead(known && stampOfRecord(known), inspection.stamp)) return { file, known, decision: UNCHANGED };
  const read = readArticleFile(realRoot, file, inspection.stamp);
  if (!read.ok) return { file, known, decision: rejectFile(file.path, known, read.reason, deps.context.now) };
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

interface StageDeps {
  readonly store: Store;
  readonly maxBytes: number;
  readonly context: DecideContext;
  readonly pool: () => ParsePool;
}

/**
 * What a pass counts. Of the rejected files and warnings it lists the first LISTED_IN_SUMMARY, so that a pass over a
 * million bad files holds no list of them (every rejected file is in the store, paged at /status/rejected).
 */
class Tally {
  scanned = 0;
  new = 0;
  updated = 0;
  unchanged = 0;
  retracted = 0;
  rejected = 0;
  readonly rejectedFiles: RejectedFile[] = [];
  readonly warnings: FileWarning[] = [];

  reject(file: RejectedFile): void {
    this.rejected += 1;
    if (this.rejectedFiles.length < LISTED_IN_SUMMARY) this.rejectedFiles.push(file);
  }

  warn(warning: FileWarning): void {
    if (this.warnings.length < LISTED_IN_SUMMARY) this.warnings.push(warning);
  }
}

async function apply(
  writer: PassWriter,
  decision: FileDecision,
  known: SourceFile | undefined,
  tally: Tally,
): Promise<void> {
  if (decision.kind === 'unchanged') {
    tally.unchanged += 1;
    if (decision.restamp) await writer.saveSourceFile(decision.restamp);
  } else if (decision.kind === 'upsert') {
    if (decision.isNew) tally.new += 1;
    else tally.updated += 1;
    await writer.upsert(decision.file, decision.entry, decision.replaces);
  } else {
    tally.reject({ path: decision.file.path, reason: decision.reason });
    if (decision.idHeldBy !== undefined)
      tally.warn({
        path: decision.idHeldBy,
        message: `keeps its id; ${decision.file.path} claims it too and was rejected`,
      });
    if (known?.hash !== decision.file.hash || known.rejection !== decision.reason)
      await writer.saveSourceFile(decision.file);
  }
}

/**
 * The real path of ARTICLES_DIR. A missing or unreadable folder fails the pass: it must never read as "every
 * article was deleted".
 */
export async function resolveArticlesDir(articlesDir: string): Promise<string> {
  return fs.realpath(articlesDir).catch((caught: unknown) => {
    const error = caught as NodeJS.ErrnoException;
    throw new Error(
      error.code === 'ENOENT'
        ? `ARTICLES_DIR ${articlesDir} does not exist`
        : `ARTICLES_DIR ${articlesDir} cannot be read (${error.code ?? error.message})`,
    );
  });
}

// Below this many published entries a share says little (3 of 5 is routine), so every retraction is allowed.
const RETRACT_GUARD_FROM = 10;

/**
 * Why a pass that would retract `retracting` of the `published` entries is refused, or undefined when it may:
 * an emptied folder (unmounted volume, failed sync, typo) looks exactly like "every article was deleted".
 */
export function massRetractRefusal(
  published: number,
  retracting: number,
  config: Pick<Config, 'maxRetractFraction' | 'allowMassRetract'>,
): string | undefined {
  if (config.allowMassRetract || published < RETRACT_GUARD_FROM || retracting <= published * config.maxRetractFraction)
    return undefined;
  return (
    `refused to retract ${retracting} of ${published} published entries (more than MAX_RETRACT_FRACTION=${config.maxRetractFraction}); ` +
    'is ARTICLES_DIR empty or not mounted? If this is intended, run npm run normalise -- --allow-mass-retract or set ALLOW_MASS_RETRACT=true'
  );
}

/**
 * Test-only (the kill -9 test): with FEED_TEST_HOLD_BEFORE_COMMIT set to a file path, a pass whose transaction
 * holds all its writes creates that file and waits, uncommitted, until the file is removed, so a kill lands inside
 * the transaction every time rather than by chance. Unset in production, where it costs one lookup per pass.
 */
async function holdBeforeCommitForTests(): Promise<void> {
  const holdFile = process.env.FEED_TEST_HOLD_BEFORE_COMMIT;
  if (!holdFile) return;
  writeFileSync(holdFile, '');
  while (existsSync(holdFile)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** The images of the entries this pass will write that state no length. */
async function imagesWithoutLength(items: AsyncIterable<Item[]>): Promise<Set<string>> {
  const images = new Set<string>();
  for await (const batch of items)
    for (const item of batch) {
      if (!('analysis' in item)) continue;
      const analysis = await item.analysis;
      if (analysis.ok && analysis.entry.image && !analysis.entry.imageLength) images.add(analysis.entry.image);
    }
  return images;
}

/** Whether a path is one of `paths` or lies under one of them (a folder a watcher reported). */
function withinAny(paths: readonly string[]): (path: string) => boolean {
  const exact = new Set(paths.map((path) => path.normalize('NFC')));
  const folders = [...exact].map((path) => `${path}/`);
  return (path) => exact.has(path) || folders.some((folder) => path.startsWith(folder));
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
async function* passItems(
  realRoot: string,
  roots: readonly string[] | undefined,
  deps: StageDeps,
): AsyncGenerator<Item[]> {
  const walk = walkArticleFiles(realRoot, roots);
  // A full pass reads every record and may skip a folder's; a pass over `only` reads just the records under it.
  const cursor = roots === undefined ? new StoredStampCursor(deps.store) : undefined;
  const stamps: StampSource = cursor ?? new RunReader(storedStamps(deps.store, roots)[Symbol.asyncIterator]());
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
    const last = run.files.at(-1);
    if (!last) continue;
    let leaf: LeafProgress | undefined;
    if (cursor && run.leaf !== undefined) {
      const fingerprint = folderFingerprint(run.files, deps.maxBytes);
      if ((await deps.store.folderStamp(run.leaf)) === fingerprint) {
        // Whatever is stored before the folder's own records ("vesti.txt" sorts before "vesti/…") and was not
        // walked is gone.
        const before = run.leaf === '' ? '' : `${run.leaf}/`;
        for (let stamp = await cursor.peekBefore(before); stamp; stamp = await cursor.peekBefore(before)) {
          cursor.take();
          unmatched(stamp);
          if (full()) yield await take();
        }
        // No file of the folder is looked at, and none of its records read: the fingerprint says they agree.
        cursor.skipBefore(run.leaf === '' ? undefined : `${run.leaf}0`);
        batch.push({ unchanged: run.files.length, last: last.path });
        if (full()) yield await take();
        continue;
      }
      leaf = { folder: run.leaf, fingerprint, left: run.files.length, clean: true };
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
      const staged = stage(realRoot, file, stored, deps);
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
        return stage(realRoot, file, stored, deps);
      }),
    );
  const gone = [...offside.values()];
  for (let start = 0; start < gone.length; start += BATCH)
    yield gone.slice(start, start + BATCH).map((stored) => ({ gone: stored }));
}

/**
 * One pass: walk ARTICLES_DIR (or the paths in `only`) alongside the stored records, decide each file, write
 * everything in one transaction. Memory is bounded by a batch of files and one folder's names, whatever the number
 * of files. Article files are only read.
 */
export async function runNormalisePass(deps: PassDeps): Promise<PassSummary> {
  const started = performance.now();
  const startedAt = toRfc3339(deps.startedAt ?? new Date());
  const { articlesDir, maxArticleBytes } = deps.config;
  const realRoot = await resolveArticlesDir(articlesDir);
  const roots = deps.only === undefined ? undefined : outermostPaths(deps.only);
  const context: DecideContext = {
    now: startedAt,
    language: deps.config.siteLanguage,
    defaultAuthor: deps.config.siteAuthor,
  };
  let ownPool: ParsePool | undefined;
  const pool = () => deps.parsePool ?? (ownPool ??= new ParsePool(deps.config.parseTimeoutMs));
  const stageDeps: StageDeps = { store: deps.store, maxBytes: maxArticleBytes, context, pool };
  const items = () => passItems(realRoot, roots, stageDeps);

  // Images are probed before the write transaction opens: an unreachable image host must never hold the store's
  // write lock (other writers would fail with "database is locked"). Changed files are parsed twice for this,
  // which is cheaper than keeping every parsed file of a large pass in memory.
  const { imageProbe } = deps;
  if (imageProbe)
    await imagesWithoutLength(items())
      .then((images) => imageProbe.probeAll(images))
      .catch(async (error: unknown) => {
        await ownPool?.close();
        throw error;
      });
  const writer = await deps.store.beginPass();
  deps.onStart?.();
  const tally = new Tally();
  // A pass over `only` knows nothing of the files outside it: they are as the last pass left them.
  const examined = roots === undefined ? () => true : withinAny(roots);
  // Where the pass is in path order: files before it are decided (twin losers, not in NFC, are decided last).
  let cursor = '';
  const ids = new EntryIdClaims(
    (keys) => writer.entryHolders(keys),
    (path) => !examined(path) || (comparePaths(path, cursor) < 0 && path === path.normalize('NFC')),
  );
  // Claims that wait for the end of the pass, with what deciding them takes.
  const waiting: Array<{ item: Analysed; analysis: Analysis }> = [];
  const decide = (item: Analysed, analysis: Analysis) =>
    decideFile(item.file.path, item.known, item.read, analysis, (key) => ids.grant(item.file.path, key), context.now);

  const handle = async (batch: readonly Item[]) => {
    // Most batches of a large pass are all unchanged files: nothing to await, no ids to look up.
    const analyses = batch.some((item) => 'analysis' in item)
      ? await Promise.all(batch.map((item) => ('analysis' in item ? item.analysis : Promise.resolve(undefined))))
      : [];
    if (analyses.length > 0) await ids.load(analyses.flatMap((analysis) => (analysis?.ok ? [analysis.entry.key] : [])));
    for (const [index, item] of batch.entries()) {
      if ('gone' in item) {
        cursor = item.gone.path;
        if (item.gone.entryKey !== null) {
          tally.retracted += 1;
          ids.release(item.gone.entryKey);
        }
        await writer.remove(item.gone.path);
        continue;
      }
      if ('unchanged' in item) {
        cursor = item.last;
        tally.scanned += item.unchanged;
        tally.unchanged += item.unchanged;
        continue;
      }
      cursor = item.file.path;
      tally.scanned += 1;
      let decision: FileDecision;
      const analysis = analyses[index];
      if ('decision' in item) decision = item.decision;
      else if (!analysis) throw new Error(`${item.file.path} was not analysed`);
      else {
        if (
          analysis.ok &&
          ids.waits({ path: item.file.path, previousKey: item.known?.entryKey ?? null, key: analysis.entry.key })
        ) {
          waiting.push({ item, analysis });
          if (item.leaf) leafDecided(item.leaf, false);
          continue;
        }
        decision = decide(item, analysis);
      }
      ids.record(item.file.path, decision);
      await apply(writer, withImageDetails(decision, deps.imageProbe), item.known, tally);
      if (item.leaf && leafDecided(item.leaf, decision.kind !== 'reject'))
        await writer.saveFolderStamp(item.leaf.folder, item.leaf.fingerprint);
    }
  };

  try {
    // While the pool parses the next batch, this thread decides and writes the current one.
    const batches = items();
    let current = await batches.next();
    let yieldedAt = performance.now();
    while (!current.done) {
      const next = batches.next();
      await handle(current.value);
      current = await next;
      // Unchanged files take microseconds each: yielding after every batch of them would be a cost of its own.
      if (performance.now() - yieldedAt > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        yieldedAt = performance.now();
      }
    }
    await ids.settleWaiting();
    // Files trading ids cannot run into each other's entries: a writer drops a file's old id only while that row
    // is still the file's own, and an upsert of an id moves its row to the file that now claims it.
    for (const { item, analysis } of waiting)
      await apply(writer, withImageDetails(decide(item, analysis), deps.imageProbe), item.known, tally);
    // Counted only when needed: a million-row count costs more than a small pass.
    const published = tally.retracted > 0 ? await deps.store.countEntries({}) : 0;
    const refusal = massRetractRefusal(published, tally.retracted, deps.config);
    if (refusal) throw new Error(refusal);
    const { rejectedFiles, warnings, ...counts } = tally;
    const summary: PassSummary = {
      startedAt,
      finishedAt: toRfc3339(new Date()),
      durationMs: Math.round(performance.now() - started),
      runBy: `${os.hostname()}:${process.pid}`,
      ...counts,
      rejectedFiles,
      warnings,
    };
    await holdBeforeCommitForTests();
    const result = await writer.commit(summary);
    deps.onCommit?.(result, summary);
    return summary;
  } catch (error) {
    await writer.rollback();
    throw error;
  } finally {
    await ownPool?.close();
  }
}
