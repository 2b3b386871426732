// One measurement of the scale table, in its own process so peak RSS belongs to that measurement alone.
//   first|unchanged <articlesDir> <dbFile>   one pass; prints {ms, maxRssMb, summary counts}
//   fresh <articlesDir> <dbFile> <index>      edit one article, pass, time until every feed holding it is re-rendered
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/app-context.js';
import { FEED_FORMATS } from '../src/feeds/formats.js';
import { feedPath } from '../src/feeds/urls.js';
import { createRequestListener } from '../src/http/app.js';
import { runNormalisePass } from '../src/jobs/normalise-pass.js';
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
  const context = createContext(config);
  const { cache, job } = context;
  const server = http.createServer(createRequestListener({ ...context, log: pino({ level: 'silent' }) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const categories = await cache.terms('category');
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
  const pass = job.run();
  // The commit drops the stale copies at once (on the "committed" message); fresh ones follow.
  const before = paths.map((path) => cache.readyFeed(path));
  let droppedAt: number | undefined;
  let freshAt: number | undefined;
  while (freshAt === undefined) {
    const now = paths.map((path) => cache.readyFeed(path));
    if (droppedAt === undefined && now.some((feed, i) => feed !== before[i])) droppedAt = performance.now();
    if (droppedAt !== undefined && now.every((feed, i) => feed && feed !== before[i])) freshAt = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await pass;
  const passMs = performance.now() - passStarted;
  const freshMs = freshAt - (droppedAt ?? freshAt);
  const servedFresh = (await Promise.all(paths.map((path) => fetchText(port, path)))).every((body) => body.includes(marker));
  const untouchedKept = others.filter((path, i) => cache.readyFeed(path) === untouchedBefore[i]).length;
  report({ passMs: Math.round(passMs), freshMs: Number(freshMs.toFixed(1)), servedFresh, rerendered: paths.length, untouchedKept, otherFeeds: others.length });
  server.close();
  await job.stop();
  await context.store.close();
}

try {
  if (mode === 'fresh') await editToFresh(Number(indexArg));
  else await timedPass();
} finally {
  await store.close();
}
