import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import request from 'supertest';
import { startTestService, type TestService } from '../support/service.js';

const article = (title: string) => `Србија\n\n${title}\n\nУвод у вест\n\nПрви пасус вести.\n`;

async function titles(service: TestService): Promise<string[]> {
  const json = JSON.parse((await request(service.app).get('/feed.json?limit=200').expect(200)).text) as {
    items: Array<{ title: string }>;
  };
  return json.items.map((item) => item.title).sort();
}

function titlesOnDisk(databaseFile: string): string[] {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT title FROM entries ORDER BY title').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** Sets or clears the immutable attribute, which even root cannot write through; false where the file system lacks it. */
function setImmutable(file: string, on: boolean): boolean {
  try {
    execFileSync('chattr', [on ? '+i' : '-i', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the SQLite database file lost or unwritable while the service runs', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
    service.write('prva.txt', article('Прва вест'));
    service.write('druga.txt', article('Друга вест'));
  });
  afterEach(async () => {
    setImmutable(service.databaseFile, false);
    await service.close();
  });

  it('says degraded when the file is deleted, keeps serving, and the next pass rebuilds a new file that is served', async () => {
    await service.pass('2026-11-25T08:00:00Z');
    const etag = (await request(service.app).get('/feed.json').expect(200)).headers.etag;
    // What `rm feed.db` does: the -wal and -shm files of the deleted database stay behind.
    fs.rmSync(service.databaseFile);
    await service.commits.check();
    const health = (await request(service.app).get('/healthz').expect(200)).body as {
      status: string;
      problems: string[];
    };
    assert.equal(health.status, 'degraded');
    assert.deepEqual(health.problems, [
      'the database file <path> was deleted while in use; feeds show what it held until a normalise pass has written the file now at that path',
    ]);
    assert.deepEqual(await titles(service), ['Друга вест', 'Прва вест']);

    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.equal(summary.new, 2, 'every article is published again into the new file');
    assert.deepEqual(titlesOnDisk(service.databaseFile), ['Друга вест', 'Прва вест']);
    assert.equal((await request(service.app).get('/healthz').expect(200)).body.status, 'ok');
    const served = await request(service.app).get('/feed.json').expect(200);
    assert.notEqual(served.headers.etag, etag, 'the feed is rendered from the new file');
    assert.deepEqual(await titles(service), ['Друга вест', 'Прва вест']);

    service.write('treca.txt', article('Трећа вест'));
    await service.pass('2026-11-25T08:10:00Z');
    assert.deepEqual(titlesOnDisk(service.databaseFile), ['Друга вест', 'Прва вест', 'Трећа вест']);
    assert.deepEqual(await titles(service), ['Друга вест', 'Прва вест', 'Трећа вест']);
  });

  it("moves to a database file put in place of the open one, without replaying the old one's WAL into it", async () => {
    await service.pass('2026-11-25T08:00:00Z');
    const backup = `${service.databaseFile}.backup`;
    const live = new Database(service.databaseFile, { readonly: true });
    live.exec(`VACUUM INTO '${backup}'`);
    live.close();
    service.write('treca.txt', article('Трећа вест'));
    await service.pass('2026-11-25T08:05:00Z');
    fs.renameSync(backup, service.databaseFile);
    await service.commits.check();
    assert.deepEqual(await titles(service), ['Друга вест', 'Прва вест'], 'the feeds show the file now in place');
    assert.equal((await request(service.app).get('/healthz').expect(200)).body.status, 'ok');
    const summary = await service.pass('2026-11-25T08:10:00Z');
    assert.equal(summary.new, 1);
    assert.deepEqual(titlesOnDisk(service.databaseFile), ['Друга вест', 'Прва вест', 'Трећа вест']);
    assert.deepEqual(await titles(service), ['Друга вест', 'Прва вест', 'Трећа вест']);
  });

  it('writes again once a database file that was read-only when the pass worker opened it is writable', async function () {
    // The pass worker opens its own connection at its first pass, here on a file it cannot write. (Restarting a worker
    // would not do: SQLite hands a new connection the read-write descriptor a closed one of this process left behind.)
    if (!setImmutable(service.databaseFile, true)) this.skip();
    await assert.rejects(service.pass('2026-11-25T08:00:00Z'), /readonly/);
    assert.equal((await request(service.app).get('/healthz').expect(200)).body.status, 'degraded');
    setImmutable(service.databaseFile, false);
    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.equal(summary.new, 2);
    assert.deepEqual(titlesOnDisk(service.databaseFile), ['Друга вест', 'Прва вест']);
    assert.equal((await request(service.app).get('/healthz').expect(200)).body.status, 'ok');
  });
});
