import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startTestService, type TestService } from '../support/service.js';

const article = (category: string, title: string, body = 'Први пасус текста.') =>
  `${category}\n\n${title}\n\nКратак увод у вест.\n\n${body}\n`;
// The promise to readers: an edit is served within this long of landing, with no scheduled pass in between.
const SERVED_WITHIN_MS = 2000;

/**
 * Polls what a reader gets, the site's JSON Feed (its items' titles, and the files behind them as ids), until
 * `accept` holds; the time it took, or undefined.
 */
async function servedWithin(
  service: TestService,
  accept: (titles: string[], sources: string[]) => boolean,
  withinMs = SERVED_WITHIN_MS,
) {
  const started = Date.now();
  for (;;) {
    const feed = (await request(service.app).get('/feed.json?limit=200').expect(200)).body as {
      items: Array<{ title: string; id: string }>;
    };
    const titles = feed.items.map((item) => item.title);
    const sources = feed.items
      .map((item) => decodeURIComponent(item.id.slice(item.id.lastIndexOf(':') + 1).replace(/^article\//, '')))
      .sort();
    if (accept(titles, sources)) return Date.now() - started;
    if (Date.now() - started > withinMs) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The inotify watches this process holds (Linux): libuv keeps one inotify descriptor, with a "wd" line per watch. */
function inotifyWatches(): number {
  let watches = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    // The descriptor that lists /proc/self/fd is closed by now: such an fd is no longer there.
    const target = (() => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return undefined;
      }
    })();
    if (target !== 'anon_inode:inotify') continue;
    const info = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    watches += info.split('\n').filter((line) => line.startsWith('inotify wd:')).length;
  }
  return watches;
}

describe('live edits: a watch of ARTICLES_DIR publishes without waiting for the schedule', function () {
  this.timeout(60_000);
  let service: TestService;
  beforeEach(async () => {
    // No scheduler runs in a test service: only the watcher's own passes can publish these edits.
    service = await startTestService({ env: { WATCH: 'true' } });
    service.write('a.txt', article('Србија', 'Прва вест'));
    await service.pass('2026-11-25T08:00:00Z');
    await service.liveEdits?.ready;
    assert.ok(service.liveEdits?.active);
  });
  afterEach(() => service.close());

  it('publishes a new file, an edit, a rename and a deletion, each within 2 s, and serves it', async () => {
    service.write('news/b.txt', article('Свет', 'Нова вест'));
    assert.ok(await servedWithin(service, (titles) => titles.includes('Нова вест')), 'new file');

    service.write('news/b.txt', article('Свет', 'Нова вест, измењена'));
    assert.ok(
      await servedWithin(service, (titles) => titles.includes('Нова вест, измењена') && !titles.includes('Нова вест')),
      'edit',
    );

    fs.renameSync(path.join(service.articlesDir, 'news/b.txt'), path.join(service.articlesDir, 'news/c.txt'));
    assert.ok(
      await servedWithin(
        service,
        (titles, sources) => titles.includes('Нова вест, измењена') && sources.join() === 'a.txt,news/c.txt',
      ),
      'rename: the old name retracted, the new one published, in one pass',
    );

    fs.rmSync(path.join(service.articlesDir, 'news/c.txt'));
    assert.ok(await servedWithin(service, (titles) => titles.length === 1), 'deletion');
    assert.ok(!(await request(service.app).get('/rss.xml').expect(200)).text.includes('Нова вест'));
  });

  it('publishes a burst of 1,000 files in a few passes, not 1,000', async () => {
    const passesSoFar = async () =>
      Number(
        /^feed_normalise_pass_seconds_count\{outcome="ok"\} (\d+)/m.exec(
          (await request(service.app).get('/metrics').expect(200)).text,
        )?.[1] ?? 0,
      );
    const before = await passesSoFar();
    fs.mkdirSync(path.join(service.articlesDir, 'burst'));
    for (let index = 0; index < 1000; index += 1)
      fs.writeFileSync(
        path.join(service.articlesDir, 'burst', `${index}.txt`),
        article('Свет', `Вест ${index} из налета`),
      );
    const published = async () => (await service.store.countEntries({})) === 1001;
    const deadline = Date.now() + 10_000;
    while (!(await published()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(await published(), 'every file of the burst was published');
    assert.ok(await servedWithin(service, (titles) => titles.includes('Вест 0 из налета')), 'and served');
    const status = (await request(service.app).get('/status').expect(200)).body as { watching: boolean };
    assert.equal(status.watching, true);
    const passes = (await passesSoFar()) - before;
    assert.ok(passes >= 1 && passes < 20, `${passes} passes for 1,000 files`);
  });

  it('watches folders made, moved in and removed while it runs, with one watch per folder, not per file', async () => {
    fs.mkdirSync(path.join(service.articlesDir, 'deep/er'), { recursive: true });
    service.write('deep/er/d.txt', article('Свет', 'Вест у новој фасцикли'));
    assert.ok(await servedWithin(service, (titles) => titles.includes('Вест у новој фасцикли')), 'new nested folder');

    const staging = fs.mkdtempSync(path.join(path.dirname(service.articlesDir), 'staging-'));
    fs.mkdirSync(path.join(staging, 'inner'));
    for (let index = 0; index < 200; index += 1)
      fs.writeFileSync(path.join(staging, 'inner', `${index}.txt`), article('Спорт', `Пренета вест ${index}`));
    const watchesBefore = inotifyWatches();
    fs.renameSync(staging, path.join(service.articlesDir, 'moved'));
    assert.ok(
      await servedWithin(service, (titles) => titles.includes('Пренета вест 199')),
      'a folder moved in with its files',
    );
    // Edits inside the moved-in folder are heard: it is watched too.
    service.write('moved/inner/0.txt', article('Спорт', 'Пренета вест, измењена'));
    assert.ok(await servedWithin(service, (titles) => titles.includes('Пренета вест, измењена')), 'edit inside it');
    assert.ok(
      inotifyWatches() - watchesBefore <= 2,
      `${inotifyWatches() - watchesBefore} watches added for 2 folders holding 200 files`,
    );

    // (A few of many: removing most of the published files at once is what the mass-retraction guard refuses.)
    fs.rmSync(path.join(service.articlesDir, 'deep'), { recursive: true });
    assert.ok(
      await servedWithin(service, (titles) => !titles.includes('Вест у новој фасцикли')),
      'a removed folder retracts its files',
    );
  });

  it('leaves what the watcher missed to the next full pass, which repairs it', async () => {
    // A lost event (an overflow, a network file system): the watcher hears nothing of this file.
    service.liveEdits?.stop();
    service.write('missed.txt', article('Свет', 'Вест коју нико није чуо'));
    assert.equal(await servedWithin(service, (titles) => titles.includes('Вест коју нико није чуо'), 500), undefined);
    await service.pass('2026-11-25T08:10:00Z');
    assert.ok((await request(service.app).get('/rss.xml').expect(200)).text.includes('Вест коју нико није чуо'));
    const status = (await request(service.app).get('/status').expect(200)).body as {
      watching: boolean;
      lastFullPass: string;
    };
    assert.equal(status.watching, false);
    assert.equal(status.lastFullPass, '2026-11-25T08:10:00Z', 'the reconciliation is reported as the last full pass');
  });
});
