import { existsSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import { toRfc3339 } from '../articles/dates.js';
import type { ArticleFile, FileStamp } from '../articles/scan.js';
import { comparePaths } from '../articles/path-order.js';
import { outermostPaths } from '../articles/walk.js';
import type { Config } from '../config.js';
import type {
  CommitResult,
  FileWarning,
  PassSummary,
  PassWriter,
  RejectedFile,
  SourceFile,
  Store,
} from '../store/store.js';
import { LISTED_IN_SUMMARY } from '../store/store.js';
import { displayPath } from '../observability/display-path.js';
import { decideFile, EntryIdClaims, type Analysis, type DecideContext, type FileDecision } from './decide-file.js';
import { ImageProbe } from './image-probe.js';
import { ListingPool } from './listing-pool.js';
import { ParsePool } from './parse-pool.js';
import { BATCH, leafDecided, passItems, stageAgain, type Analysed, type Item, type StageDeps } from './pass-items.js';

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
  /** Lists the folders of a full pass ahead of its walk; default: a pool started for this pass and closed after it. */
  readonly listingPool?: ListingPool;
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

// A pass never runs on the thread that serves requests (the server's pass worker, or the CLI); yielding between
// batches lets its own event loop take in the parse pool's replies and a close request while it writes.
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const YIELD_EVERY_MS = 10;

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
  // Only a full pass walks enough folders to list them on other threads.
  const listingPool = roots === undefined ? (deps.listingPool ?? new ListingPool()) : undefined;
  const closePools = async () => {
    await ownPool?.close();
    if (listingPool !== deps.listingPool) await listingPool?.close();
  };
  const stageDeps: StageDeps = { store: deps.store, maxBytes: maxArticleBytes, context, pool };
  const items = () =>
    passItems(realRoot, roots, { ...stageDeps, ...(listingPool ? { lister: listingPool.lister() } : {}) });

  // Images are probed before the write transaction opens: an unreachable image host must never hold the store's
  // write lock (other writers would fail with "database is locked"). Changed files are parsed twice for this,
  // which is cheaper than keeping every parsed file of a large pass in memory.
  const { imageProbe } = deps;
  if (imageProbe)
    await imagesWithoutLength(items())
      .then((images) => imageProbe.probeAll(images))
      .catch(async (error: unknown) => {
        await closePools();
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
  // Files whose claims wait for the end of the pass: then read and analysed again (see stageAgain), so that a pass
  // in which many files change their ids holds a few hundred bytes for each, not its text and parsed entry.
  const waiting: Array<{ file: ArticleFile; known: SourceFile | undefined; read: { hash: string; stamp: FileStamp } }> =
    [];
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
      if ('unreadable' in item) {
        const { folder, reason } = item.unreadable;
        tally.unchanged += item.kept;
        tally.warn({
          path: displayPath(folder),
          message: `folder cannot be listed (${reason}): nothing in it is published or retracted until it can be; its ${item.kept} stored files are kept as they are`,
        });
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
          waiting.push({ file: item.file, known: item.known, read: { hash: item.read.hash, stamp: item.read.stamp } });
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
      // Should this batch fail the pass, the next may fail too after it: that is not news.
      next.catch(() => undefined);
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
    for (let start = 0; start < waiting.length; start += BATCH) {
      const again = waiting
        .slice(start, start + BATCH)
        .map(({ file, known, read }) => stageAgain(realRoot, file, known, read, stageDeps));
      for (const staged of again) {
        const item = await staged;
        const decision = 'decision' in item ? item.decision : decide(item, await item.analysis);
        await apply(writer, withImageDetails(decision, deps.imageProbe), item.known, tally);
      }
    }
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
    await closePools();
  }
}
