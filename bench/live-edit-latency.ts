import fs from 'node:fs';
import path from 'node:path';
import { generateArticle, generateArticles } from './generate-articles.js';
import { get, startProcess, stop } from './processes.js';

const PORT = 39105;

export interface LiveEditLatency {
  readonly articles: number;
  readonly edits: number;
  readonly medianMs: number;
  readonly p99Ms: number;
}

const percentile = (sorted: readonly number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? NaN;

/**
 * Write → served with the watcher on: each edit is written beside the folder and renamed into it (as sync tools
 * do), then the site feed is polled on loopback until it holds the edit. No scheduled pass runs meanwhile.
 */
export async function liveEditLatency(workDir: string, size: number, edits: number): Promise<LiveEditLatency> {
  const articles = path.join(workDir, 'live-articles');
  generateArticles(articles, size);
  const staging = path.join(workDir, 'live-staging');
  fs.mkdirSync(staging, { recursive: true });
  const url = `http://127.0.0.1:${PORT}`;
  const server = await startProcess(['src/server.ts'], {
    cpu: 0,
    readyUrl: `${url}/readyz`,
    env: {
      PORT: String(PORT),
      BASE_URL: url,
      ARTICLES_DIR: articles,
      DATABASE_URL: `sqlite:${path.join(workDir, 'live.db')}`,
      LOG_LEVEL: 'warn',
      NORMALISE_CRON: '0 0 1 1 *',
      WATCH: 'true',
    },
  });
  try {
    const took: number[] = [];
    for (let edit = 0; edit < edits; edit += 1) {
      const marker = `Жива измена ${edit} ${Date.now()}`;
      const name = `live-${edit}.txt`;
      // The next index is published later than every article so far, so it heads the site feed once served.
      const text = generateArticle(size + edit).replace(/\n---\n([^\n]*)\n\n[^\n]*\n/, `\n---\n$1\n\n${marker}\n`);
      fs.writeFileSync(path.join(staging, name), text);
      const started = performance.now();
      fs.renameSync(path.join(staging, name), path.join(articles, name));
      for (;;) {
        if ((await get(`${url}/rss.xml`)).body.toString().includes(marker)) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      took.push(performance.now() - started);
    }
    const sorted = [...took].sort((a, b) => a - b);
    return { articles: size, edits, medianMs: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
  } finally {
    await stop(server);
  }
}
