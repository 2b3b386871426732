// One measurement of the scale table, in its own process so peak RSS belongs to that measurement alone.
//   first|unchanged <articlesDir> <databaseUrl>   one pass; prints {ms, maxRssMb, summary counts}
//   walk <articlesDir>   the floor of an unchanged pass: list every folder and lstat every entry, nothing else
//   fresh <articlesDir> <databaseUrl> <index> [replicas]
//       with the watcher on in the first replica, rename an edited article into place and time until every feed
//       holding it is re-rendered on every replica (each replica is a full context with its own store connections
//       and caches, as a process would be); then time the watcher's kind of pass (that one path) on its own
import fs from 'node:fs';
import path from 'node:path';
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

const [mode, articlesDir = '', databaseUrl = '', indexArg = '0', replicasArg = '1'] = process.argv.slice(2);
// Passes here are the ones being measured: only the first replica of "fresh" watches, as that is what it measures.
const configWithWatch = (watch: boolean) =>
  loadConfig({
    ARTICLES_DIR: articlesDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    WATCH: String(watch),
  });
const config = configWithWatch(false);
const report = (result: object) => process.stdout.write(`${JSON.stringify(result)}\n`);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function timedPass(): Promise<void> {
  const store = openStore(config.databaseUrl);
  try {
    const started = performance.now();
    const { rejectedFiles, warnings, ...counts } = await runNormalisePass({ store, config });
    report({
      ms: Math.round(performance.now() - started),
      maxRssMb: maxRssMb(),
      ...counts,
      listedRejected: rejectedFiles.length,
      warnings: warnings.length,
    });
  } finally {
    await store.close();
  }
}

/** What any pass that notices every edit must at least do: read each folder, lstat each entry. Prints {ms}. */
function bareWalk(): void {
  const started = performance.now();
  const walk = (folder: string) => {
    for (const name of fs.readdirSync(folder)) {
      const entry = `${folder}/${name}`;
      if (fs.lstatSync(entry).isDirectory()) walk(entry);
    }
  };
  walk(articlesDir);
  report({ ms: Math.round(performance.now() - started) });
}

async function fetchText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      })
      .on('error', reject);
  });
}

async function startReplica(watch: boolean) {
  const context = createContext(configWithWatch(watch));
  await context.liveEdits?.ready;
  const server = http.createServer(createRequestListener({ ...context, log: pino({ level: 'silent' }) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { context, server, port };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
// Edits timed, each way; the medians are reported.
const EDITS = 5;

async function editToFresh(index: number, replicaCount: number): Promise<void> {
  const replicas = await Promise.all(Array.from({ length: replicaCount }, (_, replica) => startReplica(replica === 0)));
  const [first] = replicas;
  if (!first) throw new Error('no replica');
  const categories = await first.context.cache.terms('category');
  const file = generatedArticlePath(articlesDir, index);
  const category = categories.find((candidate) => candidate.name === CATEGORIES[index % CATEGORIES.length]);
  if (!category) throw new Error('edited article has no category feed');
  const scopes = [{ kind: 'site' } as const, { kind: 'category', slug: category.slug, name: category.name } as const];
  const paths = scopes.flatMap((scope) => FEED_FORMATS.map((format) => feedPath(scope, format)));
  const others = categories
    .filter((candidate) => candidate.slug !== category.slug)
    .map((other) => `/categories/${other.slug}/rss.xml`);
  for (const replica of replicas) for (const path of [...paths, ...others]) await fetchText(replica.port, path);
  const ready = () => replicas.flatMap(({ context }) => paths.map((path) => context.cache.readyFeed(path)));
  const untouchedBefore = others.map((path) => first.context.cache.readyFeed(path));

  // Written beside the file and renamed over it, as sync tools do: the watcher hears one complete file.
  const edit = (edition: number) => {
    const marker = `Измена ${edition} ${Date.now()}`;
    fs.writeFileSync(`${file}.tmp`, generateArticle(index, 1, edition).replace('\n\nimage\n', `\n\n${marker}\n`));
    fs.renameSync(`${file}.tmp`, file);
    return marker;
  };
  // Until every feed holding the edit is re-rendered on every replica (each stale copy stops being served at once).
  const writeToFresh = async (edition: number) => {
    const before = ready();
    const written = performance.now();
    const marker = edit(edition);
    while (!ready().every((feed, i) => feed && feed !== before[i]))
      await new Promise((resolve) => setTimeout(resolve, 1));
    return { ms: performance.now() - written, marker };
  };
  // The first edit starts the pass and parse threads, as a running server's start-up pass already has.
  await writeToFresh(1);
  const timed: number[] = [];
  let marker = '';
  for (let edition = 2; edition < 2 + EDITS; edition += 1) {
    const edited = await writeToFresh(edition);
    timed.push(edited.ms);
    marker = edited.marker;
  }
  const bodies = await Promise.all(replicas.flatMap((replica) => paths.map((path) => fetchText(replica.port, path))));
  const servedFresh = bodies.every((body) => body.includes(marker));
  const untouchedKept = others.filter((path, i) => first.context.cache.readyFeed(path) === untouchedBefore[i]).length;

  // The pass a watcher event makes, timed on its own thread: the watcher is stopped so that only this pass runs.
  first.context.liveEdits?.stop();
  const relative = path.relative(articlesDir, file);
  const passes: number[] = [];
  for (let edition = 2 + EDITS; edition < 2 + 2 * EDITS; edition += 1) {
    edit(edition);
    passes.push((await first.context.job.runPaths([relative])).durationMs);
  }
  report({
    passMs: Math.round(median(passes)),
    writeToFreshMs: Math.round(median(timed)),
    servedFresh,
    rerendered: paths.length,
    untouchedKept,
    otherFeeds: others.length,
    replicas: replicaCount,
  });
  for (const replica of replicas) {
    replica.server.close();
    await replica.context.job.stop();
    await replica.context.store.close();
  }
}

if (mode === 'fresh') await editToFresh(Number(indexArg), Number(replicasArg));
else if (mode === 'walk') bareWalk();
else await timedPass();
