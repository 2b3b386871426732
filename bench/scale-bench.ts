import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateArticles } from './generate-articles.js';

const run = promisify(execFile);

export interface ScaleRow {
  readonly store: string;
  readonly articles: number;
  readonly firstPass: { ms: number; maxRssMb: number };
  readonly unchangedPass: { ms: number; maxRssMb: number };
  /** The floor of an unchanged pass, in the same run: readdir of every folder and lstat of every entry. */
  readonly bareWalk: { ms: number };
  readonly editToFresh: {
    passMs: number;
    writeToFreshMs: number;
    servedFresh: boolean;
    rerendered: number;
    untouchedKept: number;
    otherFeeds: number;
    replicas: number;
  };
}

async function child<T>(args: string[]): Promise<T> {
  const { stdout } = await run('node', ['--import', 'tsx', 'bench/scale-child.ts', ...args], {
    maxBuffer: 1 << 20,
    timeout: 600_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as T;
}

/** Where one size's store lives: a fresh SQLite file or a fresh PostgreSQL schema; `url` is its DATABASE_URL. */
export interface BenchStore {
  readonly name: string;
  /** Replicas measured for "one edit → fresh": several only where they can share the database. */
  readonly replicas: number;
  create(dir: string): Promise<{ url: string; dispose: () => Promise<void> }>;
}

export const SQLITE_BENCH_STORE: BenchStore = {
  name: 'SQLite',
  replicas: 1,
  create: async (dir) => ({ url: `sqlite:${path.join(dir, 'feed.db')}`, dispose: async () => undefined }),
};

/**
 * First pass, unchanged pass and edit-to-fresh time for each folder size and store, each measured in a fresh
 * process; the stores share one generated folder per size, so their rows compare like with like.
 */
export async function scaleBenchmark(
  workDir: string,
  sizes: readonly number[],
  stores: readonly BenchStore[],
): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const size of sizes) {
    const articles = path.join(workDir, `scale-${size}`, 'articles');
    generateArticles(articles, size);
    for (const store of stores) {
      const { url, dispose } = await store.create(path.join(workDir, `scale-${size}`));
      try {
        const firstPass = await child<ScaleRow['firstPass']>(['first', articles, url]);
        const unchangedPass = await child<ScaleRow['unchangedPass']>(['unchanged', articles, url]);
        const bareWalk = await child<ScaleRow['bareWalk']>(['walk', articles]);
        const editToFresh = await child<ScaleRow['editToFresh']>([
          'fresh',
          articles,
          url,
          String(size - 10),
          String(store.replicas),
        ]);
        rows.push({ store: store.name, articles: size, firstPass, unchangedPass, bareWalk, editToFresh });
        process.stderr.write(
          `scale ${store.name} ${size}: ${JSON.stringify({ firstPass, unchangedPass, bareWalk, editToFresh })}\n`,
        );
      } finally {
        await dispose();
      }
    }
  }
  return rows;
}
