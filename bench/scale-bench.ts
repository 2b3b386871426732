import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateArticles } from './generate-articles.js';

const run = promisify(execFile);

export interface ScaleRow {
  readonly articles: number;
  readonly firstPass: { ms: number; maxRssMb: number };
  readonly unchangedPass: { ms: number; maxRssMb: number };
  readonly editToFresh: { passMs: number; freshMs: number; servedFresh: boolean; rerendered: number; untouchedKept: number; otherFeeds: number };
}

async function child<T>(args: string[]): Promise<T> {
  const { stdout } = await run('node', ['--import', 'tsx', 'bench/scale-child.ts', ...args], { maxBuffer: 1 << 20, timeout: 600_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as T;
}

/** First pass, unchanged pass and edit-to-fresh time for each folder size, each measured in a fresh process. */
export async function scaleBenchmark(workDir: string, sizes: readonly number[]): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const size of sizes) {
    const articles = path.join(workDir, `scale-${size}`, 'articles');
    const database = path.join(workDir, `scale-${size}`, 'feed.db');
    generateArticles(articles, size);
    const firstPass = await child<ScaleRow['firstPass']>(['first', articles, database]);
    const unchangedPass = await child<ScaleRow['unchangedPass']>(['unchanged', articles, database]);
    const editToFresh = await child<ScaleRow['editToFresh']>(['fresh', articles, database, String(size - 10)]);
    rows.push({ articles: size, firstPass, unchangedPass, editToFresh });
    process.stderr.write(`scale ${size}: ${JSON.stringify({ firstPass, unchangedPass, editToFresh })}\n`);
  }
  return rows;
}
