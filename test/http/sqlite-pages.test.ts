import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { startTestService, type TestService } from '../support/service.js';

// A long article: its stored paragraphs are about 10 KB, as long reports are.
const longArticle = (title: string) =>
  `Србија\n\n${title}\n\nУвод у вест.\n\n${Array.from({ length: 30 }, (_, index) => `Пасус ${index + 1}: ${'реч '.repeat(40)}`).join('\n\n')}\n`;

function inspect(file: string): { pageSize: number; overflowPages: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      pageSize: db.pragma('page_size', { simple: true }) as number,
      overflowPages: db
        .prepare("SELECT count(*) FROM dbstat WHERE name = 'entries' AND pagetype = 'overflow'")
        .pluck()
        .get() as number,
    };
  } finally {
    db.close();
  }
}

describe('SQLite pages', () => {
  let service: TestService | undefined;
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-pages-'))));
  afterEach(async () => {
    await service?.close();
    service = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes a new database of 16 KiB pages, in which a long entry needs no overflow page', async () => {
    service = await startTestService();
    service.write('duga.txt', longArticle('Дуга вест'));
    assert.equal((await service.pass('2026-11-28T10:00:00Z')).new, 1);
    assert.deepEqual(inspect(service.databaseFile), { pageSize: 16384, overflowPages: 0 });
  });

  it('keeps the 4 KiB pages of a database made before, and publishes into it', async () => {
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.close();
    service = await startTestService({ env: { DATABASE_URL: `sqlite:${file}` } });
    service.write('duga.txt', longArticle('Дуга вест'));
    assert.equal((await service.pass('2026-11-28T10:00:00Z')).new, 1);
    assert.ok((await request(service.app).get('/rss.xml').expect(200)).text.includes('Дуга вест'));
    const { pageSize, overflowPages } = inspect(file);
    assert.equal(pageSize, 4096);
    assert.ok(overflowPages > 0, 'the same entry spills over in 4 KiB pages');
  });
});
