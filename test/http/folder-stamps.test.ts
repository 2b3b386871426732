import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { runNormalisePass } from '../../src/jobs/normalise-pass.js';
import { skipWithoutPostgres, TEST_STORES } from '../support/postgres.js';
import { startTestService, type TestService } from '../support/service.js';

const article = (title: string, body = 'Први пасус текста.') =>
  `Србија\n\n${title}\n\nКратак увод у вест.\n\n${body}\n`;

async function titles(service: TestService): Promise<string[]> {
  await service.commits.check();
  const feed = (await request(service.app).get('/feed.json?limit=200').expect(200)).body as {
    items: Array<{ title: string }>;
  };
  return feed.items.map((item) => item.title).sort();
}

for (const store of TEST_STORES)
  describe(`folder fingerprints: a full pass skips only folders whose records are as the folder is (${store.name})`, function () {
    this.timeout(30_000);
    let service: TestService;
    let drop: () => Promise<void> = async () => undefined;
    before(async function () {
      if (store.name === 'PostgreSQL') await skipWithoutPostgres(this);
    });
    beforeEach(async () => {
      const fresh = await store.env();
      drop = fresh.drop;
      service = await startTestService({ env: fresh.env });
      service.write('vesti/a.txt', article('Прва вест'));
      service.write('vesti/b.txt', article('Друга вест'));
      service.write('c.txt', article('Трећа вест'));
      await service.pass('2026-11-25T08:00:00Z');
    });
    afterEach(async () => {
      await service.close();
      await drop();
    });

    it('counts a skipped folder as unchanged, and still sees a file edited in it', async () => {
      const unchanged = await service.pass('2026-11-25T08:01:00Z');
      assert.deepEqual([unchanged.scanned, unchanged.unchanged, unchanged.updated], [3, 3, 0]);
      service.write('vesti/b.txt', article('Друга вест, измењена', 'Дужи пасус текста него пре.'));
      const edited = await service.pass('2026-11-25T08:02:00Z');
      assert.deepEqual([edited.scanned, edited.unchanged, edited.updated], [3, 2, 1]);
      assert.deepEqual(await titles(service), ['Друга вест, измењена', 'Прва вест', 'Трећа вест']);
    });

    it('retracts files deleted beside a skipped folder, also those that sort between its name and its contents', async () => {
      service.write('vesti.txt', article('Вест уз фасциклу'));
      service.write('vesti-stare.txt', article('Стара вест уз фасциклу'));
      await service.pass('2026-11-25T08:01:00Z');
      fs.rmSync(path.join(service.articlesDir, 'vesti.txt'));
      fs.rmSync(path.join(service.articlesDir, 'vesti-stare.txt'));
      const summary = await service.pass('2026-11-25T08:02:00Z');
      assert.deepEqual([summary.retracted, summary.unchanged], [2, 3]);
      assert.deepEqual(await titles(service), ['Друга вест', 'Прва вест', 'Трећа вест']);
    });

    it('does not trust a fingerprint once a pass over some paths wrote a record in that folder', async () => {
      const file = path.join(service.articlesDir, 'vesti/b.txt');
      // A whole-second mtime, which utimes can put back exactly; the full pass keeps the folder's fingerprint.
      const MTIME_SECONDS = 1_764_000_000;
      fs.utimesSync(file, MTIME_SECONDS, MTIME_SECONDS);
      await service.pass('2026-11-25T08:01:00Z');
      const original = fs.statSync(file);
      // A watcher's pass publishes an edit; then the file is put back as it was, mtime included (a sync tool
      // restoring it), and the watcher misses that: the folder is again exactly what its fingerprint was taken of.
      service.write('vesti/b.txt', article('Друга вест, привремена', 'Привремен пасус текста, дужи.'));
      await runNormalisePass({ store: service.store, config: service.config, only: ['vesti/b.txt'] });
      assert.ok((await titles(service)).includes('Друга вест, привремена'));
      service.write('vesti/b.txt', article('Друга вест'));
      fs.utimesSync(file, MTIME_SECONDS, MTIME_SECONDS);
      assert.deepEqual(
        [fs.statSync(file).size, fs.statSync(file).mtimeMs],
        [original.size, original.mtimeMs],
        'the file is as the fingerprint saw it',
      );
      const reconciled = await service.pass('2026-11-25T08:03:00Z');
      assert.equal(reconciled.updated, 1, 'the full pass compared the records, not the fingerprint');
      assert.deepEqual(await titles(service), ['Друга вест', 'Прва вест', 'Трећа вест']);
    });

    it('rejects a file over a lowered MAX_ARTICLE_BYTES, though its folder is as it was', async () => {
      const summary = await runNormalisePass({
        store: service.store,
        config: { ...service.config, maxArticleBytes: 50 },
      });
      assert.equal(summary.rejected, 3);
      assert.match(summary.rejectedFiles[0]?.reason ?? '', /over MAX_ARTICLE_BYTES \(50\)/);
    });

    it('keeps no fingerprint for a folder with a rejected file: the file is retried every pass', async () => {
      service.write('vesti/d.txt', '');
      const first = await service.pass('2026-11-25T08:04:00Z');
      assert.equal(first.rejected, 1);
      const again = await service.pass('2026-11-25T08:05:00Z');
      assert.deepEqual(
        again.rejectedFiles.map((file) => file.path),
        ['vesti/d.txt'],
        'the rejected file is looked at again',
      );
      service.write('vesti/d.txt', article('Четврта вест'));
      const fixed = await service.pass('2026-11-25T08:06:00Z');
      assert.equal(fixed.new, 1);
    });
  });
