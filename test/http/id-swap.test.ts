import assert from 'node:assert/strict';
import fs from 'node:fs';
import request from 'supertest';
import { startTestService, type TestService } from '../support/service.js';

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
