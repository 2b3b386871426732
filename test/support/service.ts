import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestListener } from 'node:http';
import { pino } from 'pino';
import { createContext, type AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { createRequestListener } from '../../src/http/app.js';
import type { PassSummary } from '../../src/store/store.js';

export const SAMPLE_ARTICLES = fileURLToPath(new URL('../../data/articles', import.meta.url));
export const SEED_FILE = '000_7313af71399f9727.txt';
export const BASE_URL = 'http://feeds.example.test';

export interface TestService extends AppContext {
  /** The server's request listener: feed fast path in front of the Express app. */
  readonly app: RequestListener;
  readonly root: string;
  readonly articlesDir: string;
  readonly databaseFile: string;
  /** Runs one pass with the clock set to `at` (RFC 3339). */
  pass(at: string): Promise<PassSummary>;
  write(name: string, content: string | Buffer): string;
  close(): Promise<void>;
}

/**
 * A real service on a temp folder: articles copied from `articles` (a folder or nothing),
 * a real SQLite file, the real Express app. Nothing is mocked.
 */
export async function startTestService(
  options: { articles?: string; env?: Record<string, string> } = {},
): Promise<TestService> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-publisher-test-'));
  const articlesDir = path.join(root, 'articles');
  fs.mkdirSync(articlesDir);
  if (options.articles) fs.cpSync(options.articles, articlesDir, { recursive: true });
  const databaseFile = path.join(root, 'feed.db');
  const config = loadConfig({
    ARTICLES_DIR: articlesDir,
    DATABASE_URL: `sqlite:${databaseFile}`,
    BASE_URL,
    LOG_LEVEL: 'silent',
    // Tests drive passes themselves (pass(at)); the watcher's own passes are tested where they ask for it.
    WATCH: 'false',
    ...options.env,
  });
  let clock = new Date(0);
  const context = createContext(config, { now: () => clock });
  const app = createRequestListener({ ...context, log: pino({ level: 'silent' }) });
  return {
    ...context,
    app,
    root,
    articlesDir,
    databaseFile,
    pass(at) {
      clock = new Date(at);
      return context.job.run();
    },
    write(name, content) {
      const file = path.join(articlesDir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
    async close() {
      context.liveEdits?.stop();
      await context.job.stop();
      await context.store.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Writes `count` well-formed raw articles (`<folder>/clanak-<n>.txt`), filed under `categories` in turn, so a test
 * counts articles it made itself rather than the bundled sample. Returns their titles.
 */
export function writeArticles(
  service: TestService,
  count: number,
  { folder = '.', categories = ['Србија'] } = {},
): string[] {
  return Array.from({ length: count }, (_, index) => {
    const title = `Вест ${index + 1} из ${folder === '.' ? 'корена' : folder}`;
    service.write(
      `${folder}/clanak-${index + 1}.txt`,
      `${categories[index % categories.length]!}\n\n${title}\n\nУвод у вест ${index + 1}\n\nПасус.\n`,
    );
    return title;
  });
}

/** The bundled sample articles after one pass dated 2026-11-25T08:00:00Z: the common starting point of HTTP tests. */
export async function startSampleService(env: Record<string, string> = {}): Promise<TestService> {
  const service = await startTestService({ articles: SAMPLE_ARTICLES, env });
  await service.pass('2026-11-25T08:00:00Z');
  return service;
}
