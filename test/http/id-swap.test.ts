import assert from 'node:assert/strict';
import fs from 'node:fs';
import request from 'supertest';
import type { Analysis, AnalysisInput } from '../../src/jobs/decide-file.js';
import { runNormalisePass } from '../../src/jobs/normalise-pass.js';
import type { PassSummary } from '../../src/store/store.js';
import { ParsePool } from '../../src/jobs/parse-pool.js';
import { startTestService, type TestService } from '../support/service.js';

// A whole second, which the file system keeps exactly: a file rewritten and given it again looks untouched.
const KEPT_TIME = new Date('2026-11-25T08:04:00Z');

const article = (title: string, id: string) =>
  `---\nid: ${id}\n---\nСрбија\n\n${title}\n\nУвод у вест\n\nПрви пасус вести.\n`;

async function feedItems(service: TestService): Promise<Array<{ id: string; title: string }>> {
  return (
    JSON.parse((await request(service.app).get('/feed.json?limit=200').expect(200)).text) as {
      items: Array<{ id: string; title: string }>;
    }
  ).items;
}

describe('entry ids traded between files', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
  });
  afterEach(() => service.close());

  it('publishes two files that swap their ids under their new ids in one pass, with no rejection and no warning', async () => {
    const first = service.write('a.txt', article('Наслов А', 'prvi-id'));
    const second = service.write('b.txt', article('Наслов Б', 'drugi-id'));
    await service.pass('2026-11-25T08:00:00Z');
    fs.writeFileSync(first, article('Наслов А', 'drugi-id'));
    fs.writeFileSync(second, article('Наслов Б', 'prvi-id'));
    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.deepEqual(summary.rejectedFiles, []);
    assert.deepEqual(summary.warnings, []);
    assert.equal(summary.updated, 2);
    const idOf = new Map((await feedItems(service)).map((item) => [item.title, item.id]));
    assert.deepEqual(Object.fromEntries(idOf), {
      'Наслов А': 'tag:feeds.example.test,2026:article/drugi-id',
      'Наслов Б': 'tag:feeds.example.test,2026:article/prvi-id',
    });
    const again = await service.pass('2026-11-25T08:10:00Z');
    assert.deepEqual(
      { updated: again.updated, rejected: again.rejected, unchanged: again.unchanged },
      { updated: 0, rejected: 0, unchanged: 2 },
    );
  });

  /**
   * a.txt and b.txt trade ids, so both claims wait for the end of the pass. a.txt has been read and handed to the
   * pool when b.txt is: then `editFirst` changes a.txt again, before the pass settles the claims.
   */
  async function tradeIdsEditingMeanwhile(editFirst: (file: string) => void): Promise<PassSummary> {
    const first = service.write('a.txt', article('Наслов А1', 'prvi-id'));
    const second = service.write('b.txt', article('Наслов Б1', 'drugi-id'));
    await service.pass('2026-11-25T08:00:00Z');
    fs.writeFileSync(first, article('Наслов А2', 'drugi-id'));
    fs.utimesSync(first, KEPT_TIME, KEPT_TIME);
    fs.writeFileSync(second, article('Наслов Б2', 'prvi-id'));
    class EditingPool extends ParsePool {
      override analyse(input: AnalysisInput): Promise<Analysis> {
        if (input.path === 'b.txt') editFirst(first);
        return super.analyse(input);
      }
    }
    const parsePool = new EditingPool(service.config.parseTimeoutMs);
    return runNormalisePass({ store: service.store, config: service.config, parsePool }).finally(() =>
      parsePool.close(),
    );
  }

  it('reads a file whose claim waited again at the end of the pass: one edited meanwhile is not published as first read', async () => {
    const summary = await tradeIdsEditingMeanwhile((file) =>
      fs.writeFileSync(file, article('Наслов А3, дужи', 'drugi-id')),
    );
    assert.deepEqual(
      summary.rejectedFiles.map((file) => file.path),
      ['a.txt'],
    );
    assert.match(summary.rejectedFiles[0]?.reason ?? '', /read again on the next pass/);
    await service.commits.check();
    const titles = (await feedItems(service)).map((item) => item.title);
    assert.ok(titles.includes('Наслов Б2'));
    assert.ok(!titles.includes('Наслов А2'), 'the text first read is not published once the file has changed');
    await service.pass('2026-11-25T08:10:00Z');
    assert.deepEqual((await feedItems(service)).map((item) => item.title).sort(), ['Наслов А3, дужи', 'Наслов Б2']);
  });

  it('rejects a waiting file whose bytes changed under the same size and mtime (a sync tool that keeps times)', async () => {
    const summary = await tradeIdsEditingMeanwhile((file) => {
      fs.writeFileSync(file, article('Наслов А9', 'drugi-id'));
      fs.utimesSync(file, KEPT_TIME, KEPT_TIME);
    });
    assert.deepEqual(summary.rejectedFiles, [
      {
        path: 'a.txt',
        reason: 'file changed while the pass was deciding it; it is read again on the next pass',
      },
    ]);
  });

  it('gives an id a later file lets go in the same pass to the earlier file that claims it', async () => {
    service.write('b.txt', article('Стара вест', 'stari-id'));
    await service.pass('2026-11-25T08:00:00Z');
    service.write('a.txt', article('Нова вест', 'stari-id'));
    service.write('b.txt', article('Стара вест', 'preimenovan-id'));
    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.deepEqual([summary.rejectedFiles, summary.warnings], [[], []]);
    assert.deepEqual(Object.fromEntries((await feedItems(service)).map((item) => [item.title, item.id])), {
      'Нова вест': 'tag:feeds.example.test,2026:article/stari-id',
      'Стара вест': 'tag:feeds.example.test,2026:article/preimenovan-id',
    });
  });
});
