import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SAMPLE_ARTICLES } from '../support/service.js';

function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

async function startServer(root: string, port: number): Promise<ChildProcess> {
  const child = spawn('node', ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      ARTICLES_DIR: SAMPLE_ARTICLES,
      DATABASE_URL: `sqlite:${path.join(root, 'feed.db')}`,
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const ready = await get(port, '/readyz').catch(() => undefined);
    if (ready?.status === 200) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ms: Date.now() - started })));
}

describe('the server process', function () {
  this.timeout(40_000);
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-server-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

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
