import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import type { PassSummary } from '../../src/store/store.js';
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
    await assert.rejects(
      service.pass('2026-11-25T08:05:00Z'),
      (error: Error) => error.message === `ARTICLES_DIR ${service.articlesDir} does not exist`,
    );
    const after = await request(service.app).get('/rss.xml').expect(200);
    assert.equal(after.text, before.text, 'nothing was retracted');
    const health = await request(service.app).get('/healthz').expect(200);
    assert.equal(health.body.status, 'degraded');
    assert.match(health.body.problems[0], /ARTICLES_DIR <path> does not exist/);
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

  it('survives kill -9 inside the pass transaction: the store keeps the last commit and a new process completes the pass', async function () {
    this.timeout(60_000);
    const count = 20;
    for (let index = 0; index < count; index += 1) service.write(`masa/${index}.txt`, article(index, 'прва'));
    await service.pass('2026-11-25T08:05:00Z');
    const massEntries = async () =>
      (await service.store.listEntries({}, 10_000, 0)).filter((entry) => entry.sourcePath.startsWith('masa/'));
    for (let index = 0; index < count; index += 1) service.write(`masa/${index}.txt`, article(index, 'друга'));
    fs.rmSync(path.join(service.articlesDir, 'masa', '0.txt'));

    const normalise = (env: Record<string, string> = {}) =>
      spawn('node', ['--import', 'tsx', 'src/cli/normalise.ts'], {
        env: {
          ...process.env,
          ARTICLES_DIR: service.articlesDir,
          DATABASE_URL: `sqlite:${service.databaseFile}`,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    // The pass creates this file once its transaction holds every write, and waits there: the kill lands before the commit.
    const holding = path.join(service.root, 'holding-before-commit');
    const child = normalise({ FEED_TEST_HOLD_BEFORE_COMMIT: holding });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Set by the exit handler: `as boolean` stops TypeScript from reading it as always false in the loop below.
    let childExited = false as boolean;
    void exited.then(() => (childExited = true));
    while (!fs.existsSync(holding) && !childExited) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(!childExited, 'the pass exited before holding its transaction open');
    child.kill('SIGKILL');
    await exited;
    fs.rmSync(holding);

    const check = new Database(service.databaseFile, { readonly: true });
    assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
    check.close();
    const afterKill = await massEntries();
    assert.equal(afterKill.length, count, 'the file removed before the killed pass is still published');
    assert.ok(
      afterKill.every((entry) => entry.title.endsWith('прва')),
      'no write of the killed pass was committed',
    );
    await request(service.app).get('/rss.xml').expect(200);

    const next = normalise();
    let output = '';
    next.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    assert.equal(await new Promise((resolve) => next.once('exit', resolve)), 0);
    const summary = JSON.parse(output) as PassSummary;
    assert.deepEqual(
      { updated: summary.updated, retracted: summary.retracted, rejected: summary.rejected },
      { updated: count - 1, retracted: 1, rejected: 0 },
    );
    const final = await massEntries();
    assert.equal(final.length, count - 1, 'the deleted file is retracted');
    assert.ok(final.every((entry) => entry.title.endsWith('друга')));
  });
});
