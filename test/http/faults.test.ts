import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { readWithFeedsmith } from '../support/third-party.js';
import { SAMPLE_ARTICLES, startSampleService, startTestService, type TestService } from '../support/service.js';

const article = (index: number, edition: string) =>
  `Србија\n\nВест ${index} ${edition}\n\nУвод у вест ${index}\n\n${'Пасус текста вести. '.repeat(40)}\n\n${'Други пасус. '.repeat(40)}\n`;

async function titles(service: TestService): Promise<string[]> {
  const response = await request(service.app).get('/feed.json?limit=200').expect(200);
  return (await readWithFeedsmith(response.text, 'json')).items.map((item) => item.title);
}

describe('faults', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startSampleService();
  });
  afterEach(() => service.close());

  it('keeps serving the last feeds while ARTICLES_DIR is missing, says so, and recovers on the next pass', async () => {
    const before = await request(service.app).get('/rss.xml').expect(200);
    const moved = `${service.articlesDir}.away`;
    fs.renameSync(service.articlesDir, moved);
    await assert.rejects(service.pass('2026-11-25T08:05:00Z'), /ARTICLES_DIR cannot be read \(ENOENT\)/);
    const after = await request(service.app).get('/rss.xml').expect(200);
    assert.equal(after.text, before.text, 'nothing was retracted');
    const health = await request(service.app).get('/healthz').expect(200);
    assert.equal(health.body.status, 'degraded');
    assert.match(health.body.problems[0], /ARTICLES_DIR cannot be read/);
    const status = await request(service.app).get('/status').expect(200);
    assert.doesNotMatch(JSON.stringify(status.body), /\/tmp\//);
    await request(service.app).get('/readyz').expect(200);
    fs.renameSync(moved, service.articlesDir);
    await service.pass('2026-11-25T08:10:00Z');
    assert.equal((await request(service.app).get('/healthz').expect(200)).body.status, 'ok');
  });

  it('keeps serving while the store cannot be written, and the next pass after that succeeds', async function () {
    this.timeout(30_000);
    service.write('nova.txt', article(1, 'нова'));
    const locker = new Database(service.databaseFile);
    locker.exec('BEGIN EXCLUSIVE');
    try {
      await assert.rejects(service.pass('2026-11-25T08:05:00Z'), /database is locked/);
      await request(service.app).get('/rss.xml').expect(200);
      assert.equal((await request(service.app).get('/healthz').expect(200)).body.status, 'degraded');
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    const summary = await service.pass('2026-11-25T08:10:00Z');
    assert.equal(summary.new, 1);
    assert.ok((await titles(service)).includes('Вест 1 нова'));
  });

  it('is not ready before the first pass, and ready after it', async () => {
    const fresh = await startTestService({ articles: SAMPLE_ARTICLES });
    try {
      await request(fresh.app).get('/readyz').expect(503);
      await fresh.pass('2026-11-25T08:00:00Z');
      await request(fresh.app).get('/readyz').expect(200);
    } finally {
      await fresh.close();
    }
  });

  it('survives kill -9 in the middle of a pass: the store stays consistent and the next pass completes', async function () {
    this.timeout(60_000);
    const count = 600;
    for (let index = 0; index < count; index += 1) service.write(`masa/${index}.txt`, article(index, 'прва'));
    await service.pass('2026-11-25T08:05:00Z');
    const massEntries = async () =>
      (await service.store.listEntries({}, 10_000, 0)).filter((entry) => entry.sourcePath.startsWith('masa/'));
    for (let index = 0; index < count; index += 1) service.write(`masa/${index}.txt`, article(index, 'друга'));
    fs.rmSync(path.join(service.articlesDir, 'masa', '0.txt'));

    const child = spawn('node', ['--import', 'tsx', 'src/cli/normalise.ts'], {
      env: { ...process.env, ARTICLES_DIR: service.articlesDir, DATABASE_URL: `sqlite:${service.databaseFile}`, LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Kill it at a random point after its transaction opened ("normalise pass writing" on stderr).
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('normalise pass writing') && resolve());
      child.once('exit', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const check = new Database(service.databaseFile, { readonly: true });
    assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
    check.close();
    const afterKill = await massEntries();
    const untouched = afterKill.length === count && afterKill.every((entry) => entry.title.endsWith('прва'));
    const complete = afterKill.length === count - 1 && afterKill.every((entry) => entry.title.endsWith('друга'));
    assert.ok(untouched || complete, 'either the last committed state or the whole new pass, never a mix');
    await request(service.app).get('/rss.xml').expect(200);

    const summary = await service.pass('2026-11-25T08:15:00Z');
    assert.equal(summary.rejected, 0);
    const final = await massEntries();
    assert.equal(final.length, count - 1, 'the deleted file is retracted');
    assert.ok(final.every((entry) => entry.title.endsWith('друга')));
    assert.ok((await titles(service)).some((title) => title.endsWith('друга')));
  });
});
