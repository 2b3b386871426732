import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createContext, type AppContext } from '../app-context.js';
import { basePath } from '../feeds/urls.js';
import { nginxServerBlock } from '../export/nginx-config.js';
import { sitePaths } from '../export/site-paths.js';
import { writeExport, type ExportSummary } from '../export/write-export.js';
import { createRequestListener } from '../http/app.js';
import { configFromEnvironment } from '../load-env.js';

const USAGE = 'Usage: npm run export -- <dir> [--watch] [--listen <nginx listen, default 80>]\n';
const ENTRIES_PER_READ = 1000;

function readOptions(): { dir: string; watch: boolean; listen: string } {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { watch: { type: 'boolean', default: false }, listen: { type: 'string', default: '80' } },
    });
    const [dir, ...rest] = positionals;
    if (!dir || rest.length > 0) throw new Error('give exactly one export folder');
    return { dir: path.resolve(dir), watch: values.watch, listen: values.listen };
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

async function articleSlugs(context: AppContext): Promise<string[]> {
  const slugs: string[] = [];
  for (let offset = 0; ; offset += ENTRIES_PER_READ) {
    const entries = await context.store.listEntries({}, ENTRIES_PER_READ, offset);
    slugs.push(...entries.map((entry) => entry.slug));
    if (entries.length < ENTRIES_PER_READ) return slugs;
  }
}

/** One export of everything the service publishes, fetched from it on loopback so the bytes are the same. */
async function exportSite(context: AppContext, dir: string, port: number): Promise<ExportSummary> {
  const editions = await Promise.all(
    context.editions.map(async ({ edition, cache }) => {
      const [categories, tags] = await Promise.all([cache.terms('category'), cache.terms('tag')]);
      return {
        prefix: edition.prefix,
        terms: { category: categories.map((term) => term.slug), tag: tags.map((term) => term.slug) },
      };
    }),
  );
  const paths = sitePaths(editions, await articleSlugs(context), ['opml.xml']);
  return writeExport(dir, paths, port, basePath(context.config.baseUrl));
}

// The store and settings are the server's (DATABASE_URL, BASE_URL, …); this process never runs a pass or watches
// the articles, it only serves its own loopback copy of the site to itself.
const options = readOptions();
const log = pino({ level: 'warn', base: undefined }, pino.destination(2));
let exportWanted: (() => void) | undefined;
const context = createContext(
  { ...configFromEnvironment(), watch: false, role: 'web' },
  { log, onCommitSeen: () => exportWanted?.() },
);
const server = http.createServer(createRequestListener({ ...context, log }));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const report = ({ written, unchanged, removed, missing }: ExportSummary) => {
  process.stderr.write(`${JSON.stringify({ exported: options.dir, written, unchanged, removed, missing })}\n`);
};
const first = await exportSite(context, options.dir, port);
report(first);
process.stdout.write(
  nginxServerBlock({
    root: options.dir,
    listen: options.listen,
    serverName: new URL(context.config.baseUrl).hostname,
    basePath: basePath(context.config.baseUrl),
    kinds: first.kinds,
  }),
);

if (options.watch) {
  // One export at a time; commits that land during one are covered by one more after it.
  let running: Promise<void> | undefined;
  let requested = 0;
  exportWanted = () => {
    requested += 1;
    if (running) return;
    running = (async () => {
      for (let done = -1; done !== requested;) {
        done = requested;
        report(await exportSite(context, options.dir, port));
      }
    })()
      .catch((error: unknown) => log.error({ err: error }, 'static export failed'))
      .finally(() => (running = undefined));
  };
  const stop = () => {
    context.commits.stop();
    server.close();
    void context.store.close();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else {
  context.commits.stop();
  server.close();
  await context.job.stop();
  await context.store.close();
}
