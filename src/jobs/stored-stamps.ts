// The stored file records a pass merges with the folder walk: read in path order, a page at a time.
import { comparePaths } from '../articles/path-order.js';
import { stampOfRecord, type SourceFile, type StoredStamp, type Store } from '../store/store.js';

/** Stored file records are read this many at a time. */
const PAGE = 1000;

/** Records read in path order, one at a time. */
export interface StampSource {
  peek(): Promise<StoredStamp | undefined>;
  take(): void;
}

/** Reads a stream of sorted runs one item at a time, awaiting only when a run is used up. */
export class RunReader<T> {
  private run: readonly T[] = [];
  private index = 0;
  private ended = false;

  constructor(private readonly iterator: AsyncIterator<readonly T[]>) {}

  /** The next item without taking it; undefined at the end. */
  async peek(): Promise<T | undefined> {
    while (this.index >= this.run.length && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) this.ended = true;
      else {
        this.run = next.value;
        this.index = 0;
      }
    }
    return this.run[this.index];
  }

  take(): void {
    this.index += 1;
  }
}

/** A path found on one side of a merge, or on both. */
type Paired<A, B> =
  | { readonly left: A; readonly right: B }
  | { readonly left: A; readonly right?: undefined }
  | { readonly left?: undefined; readonly right: B };

/**
 * Merges two streams of runs sorted by path (comparePaths) into runs of at most `size` pairs, each path once, with
 * what each side holds for it. Only a run of each side is in memory at a time.
 */
export async function* pairByPath<A extends { readonly path: string }, B extends { readonly path: string }>(
  left: AsyncIterable<readonly A[]>,
  right: AsyncIterable<readonly B[]>,
  size: number,
): AsyncGenerator<Array<Paired<A, B>>> {
  const lefts = new RunReader(left[Symbol.asyncIterator]());
  const rights = new RunReader(right[Symbol.asyncIterator]());
  let out: Array<Paired<A, B>> = [];
  for (;;) {
    const a = await lefts.peek();
    const b = await rights.peek();
    if (a === undefined && b === undefined) break;
    const order = a === undefined ? 1 : b === undefined ? -1 : comparePaths(a.path, b.path);
    if (order <= 0) lefts.take();
    if (order >= 0) rights.take();
    // Both are defined where `order` says so; the casts only restate it.
    out.push(order < 0 ? { left: a as A } : order > 0 ? { right: b as B } : { left: a as A, right: b as B });
    if (out.length >= size) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** Stored stamps strictly between `after` and `before`, in path order, a page at a time. */
async function* storedRange(store: Store, after: string, before: string): AsyncGenerator<StoredStamp[]> {
  for (let from = after; ;) {
    const page = await store.sourceStamps(from, before, PAGE);
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (page.length < PAGE || !last) return;
    from = last.path;
  }
}

/**
 * Every stored stamp in path order, a page at a time, for a full pass; `skipBefore` passes over a range of records
 * (a folder whose fingerprint matched) without reading the pages that hold only them.
 */
export class StoredStampCursor implements StampSource {
  private page: readonly StoredStamp[] = [];
  private index = 0;
  private from = '';
  private ended = false;

  constructor(private readonly store: Store) {}

  async peek(): Promise<StoredStamp | undefined> {
    return this.peekBefore(undefined);
  }

  /**
   * The next record if it sorts before `bound`, reading only records before it: a folder that will be skipped costs
   * a query that finds nothing, not a page of its own records.
   */
  async peekBefore(bound: string | undefined): Promise<StoredStamp | undefined> {
    for (;;) {
      const next = this.page[this.index];
      if (next) return bound === undefined || comparePaths(next.path, bound) < 0 ? next : undefined;
      if (this.ended) return undefined;
      const page = await this.store.sourceStamps(this.from, bound, PAGE);
      const last = page.at(-1);
      if (!last) {
        if (bound === undefined) this.ended = true;
        return undefined;
      }
      this.page = page;
      this.index = 0;
      this.from = last.path;
      if (bound === undefined && page.length < PAGE) this.ended = true;
    }
  }

  take(): void {
    this.index += 1;
  }

  /** Passes over the records before `bound`, which is never a record's own path; without a bound, over all. */
  skipBefore(bound: string | undefined): void {
    while (this.index < this.page.length) {
      const next = this.page[this.index];
      if (next && bound !== undefined && comparePaths(next.path, bound) >= 0) return;
      this.index += 1;
    }
    if (bound === undefined) this.ended = true;
    else if (comparePaths(this.from, bound) < 0) this.from = bound;
  }
}

async function* once<T>(run: readonly T[]): AsyncGenerator<readonly T[]> {
  if (run.length > 0) yield run;
}

/**
 * The stamps of the stored file records of `roots` (none under another) and of everything under them, in path
 * order (a full pass reads every record through StoredStampCursor). A root's own record and those under it are not
 * adjacent in path order ("a", "a.txt", "a/b.txt"), so the roots' own records are merged in.
 */
export async function* storedStamps(store: Store, roots: readonly string[]): AsyncGenerator<readonly StoredStamp[]> {
  const own = (await store.sourceFiles(roots)).map(stampOfRecord);
  own.sort((a, b) => comparePaths(a.path, b.path));
  const under = async function* () {
    for (const root of [...roots].sort((a, b) => comparePaths(`${a}/`, `${b}/`)))
      yield* storedRange(store, `${root}/`, `${root}0`);
  };
  for await (const run of pairByPath(once(own), under(), PAGE)) yield run.map((pair) => pair.left ?? pair.right);
}

/**
 * Reads the full records of files that changed. The records asked for while a batch is being staged are read in
 * one query once it has been (a round trip per changed file was most of a PostgreSQL pass over many edits).
 */
export class RecordReader {
  private wanted: Array<{
    readonly path: string;
    readonly resolve: (record: SourceFile | undefined) => void;
    readonly reject: (error: unknown) => void;
  }> = [];

  constructor(private readonly store: Store) {}

  read(path: string): Promise<SourceFile | undefined> {
    return new Promise((resolve, reject) => {
      if (this.wanted.length === 0) setImmediate(() => void this.readWanted());
      this.wanted.push({ path, resolve, reject });
    });
  }

  private async readWanted(): Promise<void> {
    const wanted = this.wanted;
    this.wanted = [];
    try {
      const records = new Map((await this.store.sourceFiles(wanted.map(({ path }) => path))).map((r) => [r.path, r]));
      for (const { path, resolve } of wanted) resolve(records.get(path));
    } catch (error) {
      for (const { reject } of wanted) reject(error);
    }
  }
}
