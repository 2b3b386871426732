import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { startTestService, writeArticles, type TestService } from '../support/service.js';

// A parse worker crashes on a file holding this (see src/jobs/parse-worker.ts).
const CRASH_MARKER = 'FEED-TEST-CRASH-MARKER';

/** Reads a SQLite file on a connection of its own, as another process would. */
function readDatabase<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const indexesOf = (file: string) =>
  readDatabase(file, (db) =>
    db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all(),
  );

const countEntries = (db: Database.Database) => db.prepare('SELECT count(*) FROM entries').pluck().get() as number;

async function waitFor(what: string, done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !done(); await new Promise((resolve) => setTimeout(resolve, 25)))
    if (Date.now() > deadline) assert.fail(`gave up waiting: ${what}`);
}

describe('a first pass into an empty SQLite store', function () {
  this.timeout(60_000);
  let service: TestService | undefined;
  let holdDir: string | undefined;

  afterEach(async () => {
    if (holdDir) fs.rmSync(holdDir, { recursive: true, force: true });
    holdDir = undefined;
    delete process.env.FEED_TEST_HOLD_BEFORE_COMMIT;
    delete process.env.FEED_TEST_CRASH_MARKER;
    await service?.close();
    service = undefined;
  });

  it('builds the indexes it deferred before it commits; readers keep them meanwhile', async () => {
    // Worker threads copy the environment when they start: set before the service's pass worker starts.
    holdDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-hold-'));
    const holding = path.join(holdDir, 'holding');
    process.env.FEED_TEST_HOLD_BEFORE_COMMIT = holding;
    service = await startTestService();
    const migrated = indexesOf(service.databaseFile);
    const names = migrated.map((index) => (index as { name: string }).name);
    for (const readersIndex of ['entries_newest', 'entries_category_newest', 'source_files_stamps'])
      assert.ok(names.includes(readersIndex), `the migrations made ${readersIndex}`);
    writeArticles(service, 30, { categories: ['Србија', 'Свет', 'Спорт'] });

    const pass = service.pass('2026-11-28T10:00:00Z');
    await waitFor('the pass to hold its transaction open', () => fs.existsSync(holding));
    assert.deepEqual(indexesOf(service.databaseFile), migrated, 'a reader sees every index while the pass writes');
    fs.rmSync(holding);
    assert.equal((await pass).new, 30);

    assert.deepEqual(indexesOf(service.databaseFile), migrated, 'the same indexes, built again, are committed');
    const plan = readDatabase(service.databaseFile, (db) =>
      db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT * FROM entries WHERE category_slug = ? ORDER BY published DESC, key LIMIT 10',
        )
        .all('svet')
        .map((step) => (step as { detail: string }).detail)
        .join('; '),
    );
    assert.match(plan, /USING INDEX entries_category_newest/);
    const feed = await request(service.app).get('/categories/svet/rss.xml').expect(200);
    assert.equal(feed.text.match(/<item>/g)?.length, 10);
  });

  it('keeps every index when the pass fails and rolls back', async () => {
    process.env.FEED_TEST_CRASH_MARKER = CRASH_MARKER;
    service = await startTestService();
    const migrated = indexesOf(service.databaseFile);
    writeArticles(service, 10);
    const crashing = service.write('pad.txt', `Србија\n\nВест која руши\n\nУвод\n\n${CRASH_MARKER}\n`);
    await assert.rejects(service.pass('2026-11-28T10:00:00Z'), /parse worker stopped/);
    assert.deepEqual(indexesOf(service.databaseFile), migrated);
    assert.equal(readDatabase(service.databaseFile, countEntries), 0);

    fs.rmSync(crashing);
    assert.equal((await service.pass('2026-11-28T10:05:00Z')).new, 10);
    assert.deepEqual(indexesOf(service.databaseFile), migrated);
  });

  it('folds its commit from the WAL into the database file once the commit is out', async () => {
    service = await startTestService();
    writeArticles(service, 40);
    assert.equal((await service.pass('2026-11-28T10:00:00Z')).new, 40);
    // The database file alone, as a backup copying only it would take: the entries reach it once the WAL is folded.
    const copy = path.join(service.root, 'copy-of-database-file.db');
    await waitFor('the WAL to be folded into the database file', () => {
      fs.copyFileSync(service!.databaseFile, copy);
      const db = new Database(copy);
      try {
        return countEntries(db) === 40;
      } catch {
        return false; // not even the schema has reached the file yet
      } finally {
        db.close();
      }
    });
  });
});
