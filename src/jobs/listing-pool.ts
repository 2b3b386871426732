import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { listFolder, type FolderLister, type FolderListing } from '../articles/folder-listing.js';
import { startWorker } from './ts-worker.js';

export type ListingRequest = { readonly id: number; readonly absolute: string; readonly folderPath: string };
export type ListingReply =
  | { readonly type: 'ready' }
  | { readonly type: 'listed'; readonly id: number; readonly listing: FolderListing }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

interface Pending extends ListingRequest {
  readonly resolve: (listing: FolderListing) => void;
  readonly reject: (error: Error) => void;
}

interface ListingWorker {
  readonly worker: Worker;
  ready: boolean;
  readonly started: Promise<void>;
  readonly pending: Map<number, Pending>;
}

export interface ListingPoolOptions {
  /** Default: one per core. */
  readonly workers?: number;
  /**
   * A small tree is listed sooner than two threads start: a walk starts the workers once it has listed this many
   * names itself, or expects to (the folders it knows of, at the names per folder it has seen). Default 200,000.
   */
  readonly startAfterNames?: number;
}

// Folders listed ahead of the walk per worker: enough to keep each busy, few enough that waiting listings stay small.
const AHEAD_PER_WORKER = 3;

/**
 * Threads that list folders (readdir, and an lstat per name) ahead of a walk. The lstat calls are most of a full
 * pass over unchanged files; spread over every core they no longer bound it. A walk still lists a folder itself
 * when no listing of it was made ahead (small trees, workers still starting, a worker that died).
 */
export class ListingPool {
  private workers: ListingWorker[] | undefined;
  private requested = 0;
  private readonly workerCount: number;
  private readonly startAfterNames: number;
  /** Listings made by the workers so far. */
  listedAhead = 0;

  constructor(options: ListingPoolOptions = {}) {
    this.workerCount = options.workers ?? os.availableParallelism();
    this.startAfterNames = options.startAfterNames ?? 200_000;
  }

  /** A lister for one walk: the listings it has made ahead are its own. */
  lister(): FolderLister {
    return new WalkLister(this, this.workerCount * AHEAD_PER_WORKER, this.startAfterNames);
  }

  /** Starts the workers, once; resolves when every one of them is ready. */
  async start(): Promise<void> {
    this.workers ??= Array.from({ length: this.workerCount }, () => this.startWorker());
    await Promise.all(this.workers.map((worker) => worker.started));
  }

  /** A listing requested from the least busy ready worker; undefined when none is ready. */
  request(absolute: string, folderPath: string): Promise<FolderListing> | undefined {
    const ready = this.workers?.filter((candidate) => candidate.ready) ?? [];
    const [idlest] = ready.sort((a, b) => a.pending.size - b.pending.size);
    if (!idlest) return undefined;
    const id = this.requested++;
    const listing = new Promise<FolderListing>((resolve, reject) =>
      idlest.pending.set(id, { id, absolute, folderPath, resolve, reject }),
    );
    idlest.worker.postMessage({ id, absolute, folderPath } satisfies ListingRequest);
    return listing;
  }

  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = undefined;
    await Promise.all(
      workers.map(async ({ worker, pending }) => {
        worker.removeAllListeners('exit');
        for (const request of pending.values()) request.reject(new Error('the listing pool was closed'));
        await worker.terminate();
      }),
    );
  }

  private startWorker(): ListingWorker {
    const worker = startWorker(new URL('./listing-worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
    let started: () => void = () => undefined;
    const lister: ListingWorker = {
      worker,
      ready: false,
      started: new Promise<void>((resolve) => (started = resolve)),
      pending: new Map(),
    };
    worker.on('message', (reply: ListingReply) => {
      if (reply.type === 'ready') {
        lister.ready = true;
        started();
        return;
      }
      const request = lister.pending.get(reply.id);
      lister.pending.delete(reply.id);
      if (reply.type === 'listed') {
        this.listedAhead += 1;
        request?.resolve(reply.listing);
      } else request?.reject(new Error(reply.message));
    });
    // Errors end in an exit: what the worker held is listed on this thread instead.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      // A worker that never started is waited for no longer.
      started();
      this.workers = this.workers?.filter((candidate) => candidate !== lister);
      for (const request of lister.pending.values()) {
        try {
          request.resolve(listFolder(request.absolute, request.folderPath));
        } catch (error) {
          request.reject(error as Error);
        }
      }
      lister.pending.clear();
    });
    return lister;
  }
}

class WalkLister implements FolderLister {
  private readonly madeAhead = new Map<string, Promise<FolderListing>>();
  private namesListedHere = 0;
  private foldersListedHere = 0;

  constructor(
    private readonly pool: ListingPool,
    private readonly maxAhead: number,
    private readonly startAfterNames: number,
  ) {}

  list(absolute: string, folderPath: string): FolderListing | Promise<FolderListing> {
    const ahead = this.madeAhead.get(absolute);
    if (ahead) {
      this.madeAhead.delete(absolute);
      return ahead;
    }
    const listing = listFolder(absolute, folderPath);
    this.namesListedHere += listing.kinds.length;
    this.foldersListedHere += 1;
    if (this.namesListedHere >= this.startAfterNames) void this.pool.start();
    return listing;
  }

  ahead(folders: ReadonlyArray<{ readonly absolute: string; readonly path: string }>, later: number): void {
    // A million files in a thousand folders are known to be a large tree as soon as the first folder is listed.
    const namesPerFolder = this.namesListedHere / Math.max(1, this.foldersListedHere);
    const expected = this.namesListedHere + (folders.length + later) * namesPerFolder;
    if (expected >= this.startAfterNames) void this.pool.start();
    for (const folder of folders) {
      if (this.madeAhead.size >= this.maxAhead) return;
      if (this.madeAhead.has(folder.absolute)) continue;
      const listing = this.pool.request(folder.absolute, folder.path);
      if (!listing) return;
      // Awaited when the walk gets there; should the walk stop first, its failure is nobody's news.
      listing.catch(() => undefined);
      this.madeAhead.set(folder.absolute, listing);
    }
  }
}
