// One measurement of the scale table, in its own process so peak RSS belongs to that measurement alone.
//   first|unchanged <articlesDir> <dbFile>   one pass; prints {ms, maxRssMb, summary counts}
//   fresh <articlesDir> <dbFile> <index>      edit one article, pass, time until every feed holding it is re-rendered
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { FeedCache } from '../src/feeds/cache.js';
import { FEED_FORMATS } from '../src/feeds/formats.js';
import { feedPath } from '../src/feeds/urls.js';
import { createRequestListener } from '../src/http/app.js';
import { NormaliseJob, runNormalisePass } from '../src/jobs/normalise-job.js';
import { openStore } from '../src/store/open-store.js';
import { CATEGORIES, generateArticle, generatedArticlePath } from './generate-articles.js';

const [mode, articlesDir = '', dbFile = '', indexArg = '0'] = process.argv.slice(2);
const config = loadConfig({ ARTICLES_DIR: articlesDir, DATABASE_URL: `sqlite:${dbFile}`, LOG_LEVEL: 'silent' });
const store = openStore(config.databaseUrl);
const report = (result: object) => process.stdout.write(`${JSON.stringify(result)}\n`);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function timedPass(): Promise<void> {
  const started = performance.now();
  const { rejectedFiles, warnings, ...counts } = await runNormalisePass({ store, config });
  report({ ms: Math.round(performance.now() - started), maxRssMb: maxRssMb(), ...counts, rejected: rejectedFiles.length, warnings: warnings.length });
}

async function fetchText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    }).on('error', reject);
  });
}

async function editToFresh(index: number): Promise<void> {
  const cache = new FeedCache(store, config);
  let committedAt = 0;
  const job = new NormaliseJob({ store, config, onCommit: (result) => ((committedAt = performance.now()), cache.invalidate(result)) });
  const server = http.createServer(createRequestListener({ config, store, cache, job, log: pino({ level: 'silent' }) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const categories = await cache.categories();
  const file = generatedArticlePath(articlesDir, index);
  const category = categories.find((candidate) => candidate.name === CATEGORIES[index % CATEGORIES.length]);
  if (!category) throw new Error('edited article has no category feed');
  const scopes = [{ kind: 'site' } as const, { kind: 'category', slug: category.slug, name: category.name } as const];
  const paths = scopes.flatMap((scope) => FEED_FORMATS.map((format) => feedPath(scope, format)));
  const others = categories.filter((candidate) => candidate.slug !== category.slug).map((other) => `/categories/${other.slug}/rss.xml`);
  for (const path of [...paths, ...others]) await fetchText(port, path);
  const untouchedBefore = others.map((path) => cache.readyFeed(path));

  const marker = `Измена ${Date.now()}`;
  fs.writeFileSync(file, generateArticle(index, 1, 1).replace('\n\nimage\n', `\n\n${marker}\n`));
  const passStarted = performance.now();
  await job.run();
  const passMs = performance.now() - passStarted;
  while (!paths.every((path) => cache.readyFeed(path))) await new Promise((resolve) => setImmediate(resolve));
  const freshMs = performance.now() - committedAt;
  const servedFresh = (await Promise.all(paths.map((path) => fetchText(port, path)))).every((body) => body.includes(marker));
  const untouchedKept = others.filter((path, i) => cache.readyFeed(path) === untouchedBefore[i]).length;
  report({ passMs: Math.round(passMs), freshMs: Number(freshMs.toFixed(1)), servedFresh, rerendered: paths.length, untouchedKept, otherFeeds: others.length });
  server.close();
}

try {
  if (mode === 'fresh') await editToFresh(Number(indexArg));
  else await timedPass();
} finally {
  await store.close();
}
