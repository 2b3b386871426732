// `npm run soak`: a report, not a test. 60 s of wrk (100 connections, loopback only) over every feed, format,
// encoding and conditional form, while articles are added, edited and removed and the job runs every second;
// then a consistency check that the feeds list exactly the articles on disk.
//   SOAK_SECONDS (60)  SOAK_ARTICLES (300)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { slugify } from '../src/entries/slug.js';
import { CATEGORIES, generateArticle, generateArticles } from './generate-articles.js';
import { get, startProcess, stop } from './processes.js';
import { hasWrk, wrk } from './wrk.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const articleCount = Number(process.env.SOAK_ARTICLES ?? 300);
const PORT = 39105;
const base = `http://127.0.0.1:${PORT}`;

if (!(await hasWrk())) {
  process.stderr.write('wrk is not installed. Install it with: apt-get install -y wrk   (Debian/Ubuntu)\n');
  process.exit(1);
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

function wrkScript(dir: string): string {
  const feeds = ['/rss.xml', '/atom.xml', '/feed.json', '/rss.xml?limit=10&page=2', '/feed.json?limit=200'];
  for (const category of CATEGORIES.slice(0, 10))
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) feeds.push(`/categories/${slugify(category)}/${file}`);
  const variants = [
    '{}',
    '{["Accept-Encoding"] = "gzip"}',
    '{["Accept-Encoding"] = "br, gzip"}',
    '{["If-None-Match"] = "*"}',
    '{["If-Modified-Since"] = "Fri, 01 Jan 2100 00:00:00 GMT"}',
    '{["Accept-Encoding"] = "gzip", ["If-None-Match"] = "\\"stale\\""}',
  ];
  const script = `
local paths = { ${feeds.map((feed) => JSON.stringify(feed)).join(', ')} }
local variants = { ${variants.join(', ')} }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], variants[(math.floor(i / #paths) % #variants) + 1])
end`;
  const file = path.join(dir, 'mix.lua');
  fs.writeFileSync(file, script);
  return file;
}

/** Every entry id of the site feed, following next_url through all pages. */
async function publishedIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  let next: string | undefined = `${base}/feed.json?limit=200`;
  while (next) {
    const page = JSON.parse((await get(next)).body.toString()) as { items: Array<{ id: string }>; next_url?: string };
    for (const item of page.items) ids.add(item.id);
    next = page.next_url;
  }
  return ids;
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-soak-'));
const articles = path.join(workDir, 'articles');
generateArticles(articles, articleCount);
const server = await startProcess(['src/server.ts'], {
  readyUrl: `${base}/readyz`,
  env: {
    PORT: String(PORT),
    BASE_URL: base,
    ARTICLES_DIR: articles,
    DATABASE_URL: `sqlite:${path.join(workDir, 'feed.db')}`,
    LOG_LEVEL: 'warn',
    NORMALISE_CRON: '* * * * * *',
  },
});
try {
  await get(`${base}/rss.xml`);
  const pid = server.pid ?? 0;
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(rssMb(pid)), 5000);
  let mutations = 0;
  let added = 0;
  const extra = path.join(articles, 'soak');
  fs.mkdirSync(extra);
  const mutate = setInterval(() => {
    added += 1;
    fs.writeFileSync(path.join(extra, `${added}.txt`), generateArticle(articleCount + added, 7));
    const edited = path.join(articles, '000', `${String(added % articleCount).padStart(6, '0')}.txt`);
    fs.writeFileSync(edited, generateArticle(added % articleCount, 1, added));
    if (added > 3) fs.rmSync(path.join(extra, `${added - 3}.txt`), { force: true });
    mutations += 3;
  }, 250);
  const load = await wrk(`${base}/rss.xml`, { seconds, connections: 100, script: wrkScript(workDir) });
  clearInterval(mutate);
  clearInterval(sampler);
  // V8 grows its heaps to a working size under load before settling, so "start" is taken after the first
  // 20 s of load (warm-up) and the whole series is printed to show whether memory keeps climbing.
  const rssStart = rssSamples[3] ?? rssMb(pid);
  const rssEnd = rssMb(pid);

  // Let the job catch up with the last mutation, then compare what is published with what is on disk.
  const settledAt = new Date(Date.now() + 1500);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (let tries = 0; tries < 100; tries += 1) {
    const status = JSON.parse((await get(`${base}/status`)).body.toString()) as {
      running: boolean;
      lastPass: { startedAt: string } | null;
    };
    if (!status.running && status.lastPass && Date.parse(status.lastPass.startedAt) >= settledAt.getTime()) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const onDisk = new Set<string>();
  const walk = (dir: string, prefix: string) => {
    for (const name of fs.readdirSync(dir)) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else onDisk.add(`tag:127.0.0.1,2026:article/${prefix}${name}`);
    }
  };
  walk(articles, '');
  const published = await publishedIds();
  const missing = [...onDisk].filter((id) => !published.has(id));
  const extraIds = [...published].filter((id) => !onDisk.has(id));

  process.stdout.write(`RSS every 5 s (MB): ${rssSamples.join(', ')}\n\n`);
  process.stdout.write(`## Soak: ${seconds} s, 100 connections, ${articleCount}+ articles, job every second\n\n`);
  process.stdout.write(
    '| requests | requests/s | non-2xx/304 | socket errors | p99 ms | RSS after warm-up MB | RSS end MB | growth | file changes | feeds = disk |\n',
  );
  process.stdout.write('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n');
  process.stdout.write(
    `| ${load.requests} | ${Math.round(load.requestsPerSecond)} | ${load.non2xx3xx} | ${load.socketErrors} | ${load.p99Ms.toFixed(1)} | ${rssStart} | ${rssEnd} | ${(((rssEnd - rssStart) / rssStart) * 100).toFixed(0)}% | ${mutations} | ${missing.length === 0 && extraIds.length === 0 ? `yes (${published.size} entries)` : `NO: ${missing.length} missing, ${extraIds.length} extra`} |\n`,
  );
} finally {
  await stop(server);
  fs.rmSync(workDir, { recursive: true, force: true });
}
