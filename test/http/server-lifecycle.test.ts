import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SAMPLE_ARTICLES } from '../support/service.js';
import { readWithRssParser } from '../support/third-party.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function get(port: number, urlPath: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
      })
      .on('error', reject);
  });
}

// Every server a test started, so a failed test does not leave one running (and mocha waiting for it).
const spawned: ChildProcess[] = [];

/** The server the way production runs it: `node dist/server.js`, compiled JavaScript, no tsx anywhere. */
function spawnServer(root: string, port: number, logLevel = 'silent'): ChildProcess {
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      ARTICLES_DIR: SAMPLE_ARTICLES,
      DATABASE_URL: `sqlite:${path.join(root, 'feed.db')}`,
      LOG_LEVEL: logLevel,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.push(child);
  return child;
}

async function waitUntilReady(child: ChildProcess, port: number): Promise<void> {
  // Generous: on a busy shared machine a process start and its start-up pass have taken over 20 s.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await get(port, '/readyz').catch(() => undefined);
    if (ready?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

async function startServer(root: string, port: number): Promise<ChildProcess> {
  const child = spawnServer(root, port);
  await waitUntilReady(child, port);
  return child;
}

/** The first JSON log line on the child's stdout whose `msg` is `message`. */
async function logLine(child: ChildProcess, message: string): Promise<Record<string, unknown>> {
  for await (const line of createInterface({ input: child.stdout! })) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry['msg'] === message) return entry;
  }
  throw new Error(`the server exited without logging "${message}"`);
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ms: Date.now() - started })));
}

describe('the server process', function () {
  this.timeout(90_000);
  let root: string;
  before(function () {
    // The production build, as `npm start` runs it first; a no-op when dist/ is up to date.
    this.timeout(120_000);
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  });
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-server-'));
  });
  afterEach(() => {
    for (const child of spawned.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('starts from dist/, logs its own pid, serves the RSS feed', async () => {
    const port = 45000 + Math.floor(Math.random() * 2000);
    const child = spawnServer(root, port, 'info');
    const listening = await logLine(child, 'feed publisher listening');
    assert.equal(listening['pid'], child.pid);
    await waitUntilReady(child, port);
    const rss = await get(port, '/rss.xml');
    assert.equal(rss.status, 200);
    assert.match(rss.type, /^application\/rss\+xml/);
    assert.ok((await readWithRssParser(rss.body, 'rss')).items.length > 0, 'the start-up pass published nothing');
    const exited = exitOf(child);
    child.kill('SIGTERM');
    assert.equal((await exited).code, 0);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops accepting, finishes, closes the store and exits 0 on ${signal}`, async () => {
      const port = 41000 + Math.floor(Math.random() * 2000);
      const child = await startServer(root, port);
      assert.equal((await get(port, '/rss.xml')).status, 200);
      const exited = exitOf(child);
      child.kill(signal);
      const { code, ms } = await exited;
      assert.equal(code, 0);
      assert.ok(ms < 10_000, `took ${ms} ms`);
      await assert.rejects(get(port, '/healthz'), /ECONNREFUSED/);
      const store = new Database(path.join(root, 'feed.db'), { readonly: true });
      assert.equal(store.pragma('integrity_check', { simple: true }), 'ok');
      store.close();
    });
  }

  it('lets a running pass finish before exiting on SIGTERM', async () => {
    const port = 43000 + Math.floor(Math.random() * 2000);
    const child = await startServer(root, port);
    const exited = exitOf(child);
    child.kill('SIGHUP');
    child.kill('SIGTERM');
    const { code } = await exited;
    assert.equal(code, 0);
  });
});
