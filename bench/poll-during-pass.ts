import fs from 'node:fs';
import path from 'node:path';
import { generateArticle, generatedArticlePath, generateArticles } from './generate-articles.js';
import { get, startProcess, stop } from './processes.js';
import { wrk, type WrkResult } from './wrk.js';

const PORT = 39104;

export interface PollDuringPass {
  readonly articles: number;
  readonly idle: WrkResult;
  readonly duringPass: WrkResult;
  readonly passSeconds: number;
}

async function lastPass(url: string): Promise<{ startedAt: string; finishedAt: string } | null> {
  const status = JSON.parse((await get(`${url}/status`)).body.toString()) as {
    lastPass: { startedAt: string; finishedAt: string } | null;
  };
  return status.lastPass;
}

/** Poll latency of a cached feed while idle, then while a pass re-normalises every article. */
export async function pollDuringPass(workDir: string, size: number, seconds: number): Promise<PollDuringPass> {
  const articles = path.join(workDir, 'poll-articles');
  generateArticles(articles, size);
  const url = `http://127.0.0.1:${PORT}`;
  const server = await startProcess(['src/server.ts'], {
    cpu: 0,
    readyUrl: `${url}/healthz`,
    env: {
      PORT: String(PORT),
      BASE_URL: url,
      ARTICLES_DIR: articles,
      DATABASE_URL: `sqlite:${path.join(workDir, 'poll.db')}`,
      LOG_LEVEL: 'warn',
      NORMALISE_CRON: '0 0 1 1 *',
      // The pass measured here is the SIGHUP one over every file, not live edits of each.
      WATCH: 'false',
    },
  });
  try {
    while (!(await lastPass(url))) await new Promise((resolve) => setTimeout(resolve, 200));
    const feed = `${url}/rss.xml`;
    await get(feed, { 'Accept-Encoding': 'gzip' });
    const options = { seconds, connections: 50, headers: { 'Accept-Encoding': 'gzip' }, cpu: 1 };
    await wrk(feed, { ...options, seconds: 2 });
    const idle = await wrk(feed, options);
    for (let index = 0; index < size; index += 1)
      fs.writeFileSync(generatedArticlePath(articles, index), generateArticle(index, 1, 2));
    const before = await lastPass(url);
    server.kill('SIGHUP');
    const duringPass = await wrk(feed, options);
    let after = await lastPass(url);
    while (after?.startedAt === before?.startedAt) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await lastPass(url);
    }
    const passSeconds = after ? (Date.parse(after.finishedAt) - Date.parse(after.startedAt)) / 1000 : NaN;
    return { articles: size, idle, duringPass, passSeconds };
  } finally {
    await stop(server);
  }
}
