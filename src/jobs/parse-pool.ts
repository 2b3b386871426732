import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { analyseFile, type Analysis, type AnalysisInput } from './decide-file.js';
import { startWorker } from './ts-worker.js';


// Starting a worker (and compiling its modules) costs about as much as parsing a few hundred articles.
const INLINE_BEFORE_WORKERS = 256;

type Pending = { resolve: (analysis: Analysis) => void; reject: (error: Error) => void };

/**
 * Analyses files for one pass. Small passes parse on the calling thread; once a pass has more than a few
 * hundred files to parse, the rest go to worker threads (one per spare core), so a big pass uses the other
 * core and leaves this one to requests and to writing.
 */
export class ParsePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private requested = 0;

  constructor(private readonly workerCount = Math.max(0, os.availableParallelism() - 1)) {}

  analyse(input: AnalysisInput): Promise<Analysis> {
    const id = this.requested++;
    if (id < INLINE_BEFORE_WORKERS || this.workerCount === 0) return Promise.resolve(analyseFile(input));
    if (this.workers.length === 0) this.startWorkers();
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private startWorkers(): void {
    for (let index = 0; index < this.workerCount; index += 1) {
      // Articles are at most MAX_ARTICLE_BYTES each and handled one at a time: a small heap is plenty.
      const worker = startWorker(new URL('./parse-worker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 128 } });
      worker.on('message', ({ id, analysis }: { id: number; analysis: Analysis }) => {
        this.pending.get(id)?.resolve(analysis);
        this.pending.delete(id);
      });
      worker.on('error', (error) => {
        for (const pending of this.pending.values()) pending.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
    }
  }
}
