import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Analysis, AnalysisInput } from './decide-file.js';
import { startWorker } from './ts-worker.js';

export type ParseWorkerRequest = { readonly id: number; readonly input: AnalysisInput };
export type ParseWorkerReply =
  { readonly type: 'ready' } | { readonly type: 'analysed'; readonly id: number; readonly analysis: Analysis };

type Job = ParseWorkerRequest & { resolve: (analysis: Analysis) => void; reject: (error: Error) => void };

/** One worker thread and the files posted to it, which it parses one after another, oldest first. */
interface Lane {
  worker: Worker | undefined;
  /** Set once the worker has loaded its modules: starting up does not count against a file's budget. */
  ready: boolean;
  readonly queue: Job[];
  budget: NodeJS.Timeout | undefined;
}

/**
 * Analyses files on worker threads (one per spare core), never on the calling thread: only a thread can be
 * stopped in the middle of a parse, so only there can one file be held to a time budget. A file that takes
 * longer than `parseTimeoutMs` is rejected and its worker replaced; a worker that dies fails the files it held.
 */
export class ParsePool {
  private readonly lanes: Lane[];
  private requested = 0;

  constructor(
    private readonly parseTimeoutMs: number,
    workerCount = Math.max(1, os.availableParallelism() - 1),
  ) {
    this.lanes = Array.from({ length: workerCount }, () => ({
      worker: undefined,
      ready: false,
      queue: [],
      budget: undefined,
    }));
  }

  analyse(input: AnalysisInput): Promise<Analysis> {
    const id = this.requested++;
    const lane = this.lanes[id % this.lanes.length] as Lane;
    const analysis = new Promise<Analysis>((resolve, reject) => lane.queue.push({ id, input, resolve, reject }));
    if (lane.worker) {
      lane.worker.postMessage({ id, input } satisfies ParseWorkerRequest);
      if (lane.queue.length === 1) this.watch(lane);
    } else {
      this.startWorker(lane);
    }
    // A pass awaits analyses in path order and stops at its first failure: the later ones may fail unawaited.
    analysis.catch(() => undefined);
    return analysis;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.lanes.map(async (lane) => {
        for (const job of lane.queue.splice(0)) job.reject(new Error('the parse pool was closed'));
        await this.stopWorker(lane);
      }),
    );
  }

  /** Starts the lane's worker and hands it every file the lane holds. */
  private startWorker(lane: Lane): void {
    // Articles are at most MAX_ARTICLE_BYTES each and handled one at a time: a small heap is plenty.
    const worker = startWorker(new URL('./parse-worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
    let failure: Error | undefined;
    worker.on('message', (reply: ParseWorkerReply) => {
      if (reply.type === 'ready') lane.ready = true;
      else lane.queue.shift()?.resolve(reply.analysis);
      this.watch(lane);
    });
    worker.on('error', (error) => (failure = error));
    worker.on('exit', (code) => this.workerDied(lane, failure?.message ?? `exit code ${code}`));
    lane.worker = worker;
    lane.ready = false;
    for (const { id, input } of lane.queue) worker.postMessage({ id, input } satisfies ParseWorkerRequest);
  }

  /** Gives the file the lane's worker is parsing now its budget. */
  private watch(lane: Lane): void {
    clearTimeout(lane.budget);
    lane.budget = undefined;
    const parsing = lane.queue[0];
    if (!lane.ready || !parsing) return;
    lane.budget = setTimeout(() => {
      // The timer may fire after this thread was busy: let answers that already arrived be handled first.
      setImmediate(() => {
        if (lane.queue[0] === parsing) void this.overBudget(lane);
      });
    }, this.parseTimeoutMs);
  }

  private async overBudget(lane: Lane): Promise<void> {
    lane.queue.shift()?.resolve({ ok: false, reason: `took too long to parse (over ${this.parseTimeoutMs} ms)` });
    await this.stopWorker(lane);
    if (lane.queue.length > 0 && !lane.worker) this.startWorker(lane);
  }

  /** A worker that exits on its own (a crash, its memory limit) fails what it held; the next file starts another. */
  private workerDied(lane: Lane, why: string): void {
    const parsing = lane.queue[0];
    const message =
      lane.ready && parsing
        ? `a parse worker stopped (${why}) while parsing ${parsing.input.path}`
        : `a parse worker could not start (${why})`;
    clearTimeout(lane.budget);
    lane.worker = undefined;
    for (const job of lane.queue.splice(0)) job.reject(new Error(message));
  }

  private async stopWorker(lane: Lane): Promise<void> {
    const worker = lane.worker;
    clearTimeout(lane.budget);
    lane.worker = undefined;
    if (!worker) return;
    // Its exit is ours, not a death; an error it may still raise is ignored by the listener left in place.
    worker.removeAllListeners('message').removeAllListeners('exit');
    await worker.terminate();
  }
}
