import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runNormalisePass } from '../../src/jobs/normalise-pass.js';
import { ParsePool } from '../../src/jobs/parse-pool.js';
import type { PassSummary } from '../../src/store/store.js';
import { skipWithoutPostgres, TEST_STORES } from '../support/postgres.js';
import { startTestService, type TestService } from '../support/service.js';

// More stored records than one page the pass reads (1,000), and far more files than one batch it decides (16).
const FOLDERS = ['arhiva', 'kultura', 'sport', 'svet', 'vesti'];
const PER_FOLDER = 500;
const PAGE = 1000;

const article = (category: string, title: string, id?: string) =>
  `${id === undefined ? '' : `---\nid: ${id}\n---\n`}${category}\n\n${title}\n\nУвод у вест.\n\nПасус вести.\n`;

/** The order the pass merges the walk and the stored records in: UTF-8 bytes. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Every article file under `root`, as the pass names them. */
function filesOnDisk(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.txt') && fs.statSync(path.join(root, name)).isFile())
    .map((name) => name.split(path.sep).join('/'))
    .sort(byteOrder);
}

// An item's id: a tag URI ending in the entry's key, percent-encoded (a file without an id is keyed by its path).
const ENTRY_ID = /^tag:[^:]+:article\/(.+)$/;

/** The entry key behind each item of the site feed, read through every page of /feed.json as a reader would. */
async function servedKeys(service: TestService): Promise<string[]> {
  const keys: string[] = [];
  for (let page = 1; ; page += 1) {
    const response = await request(service.app).get(`/feed.json?limit=200&page=${page}`);
    if (response.status === 404) break;
    assert.equal(response.status, 200);
    const items = (response.body as { items: Array<{ id: string }> }).items;
    for (const { id } of items) {
      const key = ENTRY_ID.exec(id)?.[1];
      assert.ok(key !== undefined, `${id} is an entry id`);
      keys.push(decodeURIComponent(key));
    }
    if (items.length < 200) break;
  }
  return keys.sort(byteOrder);
}

/** Who publishes each entry key, from the store. */
async function publishedBy(service: TestService): Promise<Map<string, string>> {
  const entries = await service.store.listEntries({}, 10_000, 0);
  return new Map(entries.map((entry) => [entry.key, entry.sourcePath]));
}

describe('a pass over more files than a page of records and a batch', function () {
  this.timeout(30_000);
  let template: string | undefined;
  // One pool of parse workers for every pass here: starting one per pass would cost more than the passes.
  let parsePool: ParsePool | undefined;
  /** Every generated article's path, in byte order: the order the pass pages stored records in. */
  let generated: string[] = [];

  before(() => {
    const folders = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-streaming-pass-'));
    template = folders;
    for (const folder of FOLDERS) {
      fs.mkdirSync(path.join(folders, folder));
      for (let index = 0; index < PER_FOLDER; index += 1) {
        const name = `vest-${String(index).padStart(4, '0')}.txt`;
        fs.writeFileSync(path.join(folders, folder, name), article(folder, `Вест ${index} из ${folder}`));
      }
    }
    generated = filesOnDisk(folders);
    parsePool = new ParsePool(20_000);
  });
  after(async () => {
    await parsePool?.close();
    if (template) fs.rmSync(template, { recursive: true, force: true });
  });

  for (const kind of TEST_STORES)
    describe(kind.name, () => {
      let service: TestService;
      let drop: () => Promise<void>;

      before(async function () {
        if (kind.name === 'PostgreSQL') await skipWithoutPostgres(this);
      });

      beforeEach(async () => {
        const store = await kind.env();
        drop = store.drop;
        service = await startTestService({ env: store.env });
        // Hard links, not copies: copying 2,500 files costs seconds per test on a slow disk, linking milliseconds.
        // A linked file is the template's too, so a test replaces a generated file (rewrite) and never writes into it.
        for (const file of generated) {
          fs.mkdirSync(path.dirname(path.join(service.articlesDir, file)), { recursive: true });
          fs.linkSync(path.join(template!, file), path.join(service.articlesDir, file));
        }
      });
      afterEach(async () => {
        await service.close();
        await drop();
      });

      /** One pass, as the worker runs it, made known to the feed caches as any commit is. */
      async function pass(at: string, only?: readonly string[]): Promise<PassSummary> {
        const summary = await runNormalisePass({
          store: service.store,
          config: service.config,
          startedAt: new Date(at),
          ...(parsePool ? { parsePool } : {}),
          ...(only ? { only } : {}),
        });
        await service.commits.check();
        return summary;
      }

      const remove = (file: string) => fs.rmSync(path.join(service.articlesDir, file));
      /** A new text for a generated file, in a new file: writing into the link would change the template. */
      const rewrite = (file: string, text: string) => {
        remove(file);
        service.write(file, text);
      };

      it('retracts, adds, renames and updates exactly the files that changed, across page and batch boundaries', async () => {
        const first = await pass('2026-11-25T08:00:00Z');
        assert.deepEqual([first.new, first.rejected], [generated.length, 0]);

        // The first and last records, those either side of each page boundary, and a few in between.
        const deleted = [0, 1, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE - 1, 2 * PAGE, 777, 1503, 2222]
          .concat([generated.length - 2, generated.length - 1])
          .map((index) => generated[index]!);
        for (const file of deleted) remove(file);
        const renamed = new Map([
          [generated[500]!, 'kultura/vest-0000-preimenovana.txt'],
          [generated[PAGE - 2]!, '0-preimenovana.txt'],
          [generated[2 * PAGE + 1]!, 'zz/preimenovana.txt'],
        ]);
        for (const [from, to] of renamed) {
          fs.mkdirSync(path.dirname(path.join(service.articlesDir, to)), { recursive: true });
          fs.renameSync(path.join(service.articlesDir, from), path.join(service.articlesDir, to));
        }
        // Before everything, between two stored records, after everything, and a new folder of more than a batch.
        const added = ['0-prva.txt', 'svet/vest-0100a.txt', 'zzz.txt'];
        for (let index = 0; index < 40; index += 1) added.push(`nova/vest-${index}.txt`);
        for (const file of added) service.write(file, article('Нова', `Нова вест ${file}`));
        // More than the PostgreSQL writer's batch of 500 writes, so that the pass runs across its flushes.
        const gone = new Set([...deleted, ...renamed.keys()]);
        const edited = generated.filter((file, index) => index % 4 === 2 && !gone.has(file));
        assert.ok(edited.length > 500);
        for (const file of edited) rewrite(file, article('Измењена', `Измењена вест ${file}`));

        const summary = await pass('2026-11-25T08:05:00Z');
        assert.deepEqual(
          {
            scanned: summary.scanned,
            new: summary.new,
            updated: summary.updated,
            retracted: summary.retracted,
            unchanged: summary.unchanged,
            rejected: summary.rejected,
          },
          {
            scanned: generated.length - gone.size + renamed.size + added.length,
            new: added.length + renamed.size,
            updated: edited.length,
            retracted: deleted.length + renamed.size,
            unchanged: generated.length - gone.size - edited.length,
            rejected: 0,
          },
        );

        // Files without an id publish under their path: what is served is exactly what is on disk.
        const onDisk = filesOnDisk(service.articlesDir);
        assert.equal(await service.store.countEntries({}), onDisk.length);
        assert.deepEqual(await servedKeys(service), onDisk);
        assert.deepEqual([...(await publishedBy(service)).values()].sort(byteOrder), onDisk);
        assert.equal(await service.store.countEntries({ category: 'izmenjena' }), edited.length);

        const again = await pass('2026-11-25T08:10:00Z');
        assert.deepEqual([again.unchanged, again.new, again.updated, again.retracted], [onDisk.length, 0, 0, 0]);
      });

      it('gives an id to an early file when a late file holding it is deleted, and refuses ids that present files hold', async () => {
        // Far apart in path order: thousands of files, several pages of records and many batches between them.
        service.write('00-rana.txt', article('Рана', 'Рана вест', 'rani-id'));
        service.write('zz/kasna-obrisana.txt', article('Касна', 'Обрисана вест', 'kasni-id'));
        service.write('zz/kasna-prisutna.txt', article('Касна', 'Присутна вест', 'prisutni-id'));
        await pass('2026-11-25T08:00:00Z');

        remove('zz/kasna-obrisana.txt');
        service.write('0-a-nova.txt', article('Нова', 'Наследница касне вести', 'kasni-id'));
        service.write('0-b-nova.txt', article('Нова', 'Отимачица касног ида', 'prisutni-id'));
        service.write('zz/kasna-nova.txt', article('Нова', 'Отимачица раног ида', 'rani-id'));
        const summary = await pass('2026-11-25T08:05:00Z');

        assert.deepEqual([summary.new, summary.retracted, summary.rejected], [1, 1, 2]);
        assert.deepEqual(
          [...summary.rejectedFiles].sort((a, b) => byteOrder(a.path, b.path)),
          [
            { path: '0-b-nova.txt', reason: 'its id is already used by zz/kasna-prisutna.txt' },
            { path: 'zz/kasna-nova.txt', reason: 'its id is already used by 00-rana.txt' },
          ],
        );
        assert.deepEqual(
          [...summary.warnings].sort((a, b) => byteOrder(a.path, b.path)),
          [
            { path: '00-rana.txt', message: 'keeps its id; zz/kasna-nova.txt claims it too and was rejected' },
            { path: 'zz/kasna-prisutna.txt', message: 'keeps its id; 0-b-nova.txt claims it too and was rejected' },
          ],
        );
        const holders = await publishedBy(service);
        assert.equal(holders.get('kasni-id'), '0-a-nova.txt');
        assert.equal(holders.get('prisutni-id'), 'zz/kasna-prisutna.txt');
        assert.equal(holders.get('rani-id'), '00-rana.txt');
        const served = await servedKeys(service);
        assert.ok(served.includes('kasni-id') && served.includes('prisutni-id') && served.includes('rani-id'));
        assert.equal(served.length, generated.length + 3);
      });

      it('over only one folder, retracts a file deleted in it and leaves files outside it alone', async () => {
        // Neighbours of "sport" in path order that a prefix match would take for its contents.
        service.write('sport.txt', article('Спорт', 'Спорт у једној датотеци'));
        service.write('sport-dodatak/vest.txt', article('Спорт', 'Додатак спорту'));
        await pass('2026-11-25T08:00:00Z');
        const outside = ['sport.txt', 'sport-dodatak/vest.txt', 'svet/vest-0003.txt', 'arhiva/vest-0000.txt'];
        for (const file of ['sport/vest-0007.txt', ...outside]) remove(file);
        service.write('sport/vest-nova.txt', article('Спорт', 'Нова спортска вест'));

        const summary = await pass('2026-11-25T08:05:00Z', ['sport']);
        assert.deepEqual(
          [summary.scanned, summary.new, summary.retracted, summary.unchanged],
          [PER_FOLDER, 1, 1, PER_FOLDER - 1],
        );
        assert.deepEqual(await service.store.sourceFiles(['sport/vest-0007.txt']), []);
        assert.equal((await service.store.sourceFiles(outside)).length, outside.length, 'the files outside the pass');
        const holders = await publishedBy(service);
        assert.equal(holders.get('sport/vest-0007.txt'), undefined);
        assert.equal(holders.get('sport/vest-nova.txt'), 'sport/vest-nova.txt');
        assert.equal(holders.size, generated.length + 2);

        // The full pass that follows catches up with what the watcher's pass was not about.
        const full = await pass('2026-11-25T08:10:00Z');
        assert.equal(full.retracted, outside.length);
        assert.deepEqual(await servedKeys(service), filesOnDisk(service.articlesDir));
      });
    });
});
