import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { openStore } from '../../src/store/open-store.js';
import { PassLockedError, type Store, type StoreChange } from '../../src/store/store.js';
import { createTestSchema, skipWithoutPostgres, type TestSchema } from '../support/postgres.js';
import { startTestService, type TestService } from '../support/service.js';

const article = (category: string, title: string, tags: string[] = []) =>
  `${tags.length ? `---\ntags: [${tags.join(', ')}]\n---\n` : ''}${category}\n\n${title}\n\nКратак увод у вест.\n\nПрви пасус текста.\n`;

const FIXTURE: Record<string, string> = {
  'a.txt': article('Србија', 'Влада усвојила буџет', ['буџет', 'влада']),
  'b.txt': article('Свет', 'Избори у Немачкој', ['избори']),
  'c.txt': article('Србија', 'Влада усвојила буџет', ['влада']),
  'd/e.txt': article('Spорт', 'Партизан победио'),
  'f.json': JSON.stringify({
    category: 'Наука',
    title: 'Нови телескоп',
    lead: 'Увод.',
    body: ['Пасус.'],
    tags: ['свемир'],
  }),
};

const FEED_PATHS = [
  '/rss.xml',
  '/atom.xml',
  '/feed.json',
  '/categories/srbija/rss.xml',
  '/tags/vlada/atom.xml',
  '/lat/feed.json',
  '/lat/tags/budzet/rss.xml',
];

interface StoreKind {
  readonly name: string;
  /** DATABASE_URL for a fresh, empty store, and how to dispose of it. */
  fresh(): Promise<{ url: string | undefined; dispose: () => Promise<void> }>;
}

const sqlite: StoreKind = { name: 'SQLite', fresh: async () => ({ url: undefined, dispose: async () => undefined }) };
const postgres: StoreKind = {
  name: 'PostgreSQL',
  async fresh() {
    const schema: TestSchema = await createTestSchema();
    return { url: schema.url, dispose: () => schema.drop() };
  },
};

async function serviceOn(kind: StoreKind): Promise<{ service: TestService; dispose: () => Promise<void> }> {
  const { url, dispose } = await kind.fresh();
  const service = await startTestService(url ? { env: { DATABASE_URL: url } } : {});
  for (const [name, text] of Object.entries(FIXTURE)) service.write(name, text);
  return {
    service,
    async dispose() {
      await service.close();
      await dispose();
    },
  };
}

async function feedBodies(service: TestService): Promise<Record<string, string>> {
  const bodies: Record<string, string> = {};
  for (const feed of FEED_PATHS) bodies[feed] = (await request(service.app).get(feed).expect(200)).text;
  return bodies;
}

for (const kind of [sqlite, postgres])
  describe(`the store contract: ${kind.name}`, function () {
    let service: TestService;
    let dispose: () => Promise<void>;
    before(async function () {
      if (kind === postgres) await skipWithoutPostgres(this);
    });
    beforeEach(async () => {
      ({ service, dispose } = await serviceOn(kind));
      await service.pass('2026-11-25T08:00:00Z');
    });
    afterEach(() => dispose());

    it('publishes every article once, with unique slugs for equal titles', async () => {
      assert.equal(await service.store.countEntries({}), 5);
      assert.equal(await service.store.countEntries({ category: 'srbija' }), 2);
      assert.equal(await service.store.countEntries({ tag: 'vlada' }), 2);
      const slugs = (await service.store.listEntries({}, 10, 0)).map((entry) => entry.slug).sort();
      assert.deepEqual(
        slugs.filter((slug) => slug.startsWith('vlada-usvojila-budzet')),
        ['vlada-usvojila-budzet', 'vlada-usvojila-budzet-2'],
      );
      const tags = await service.store.listTags();
      assert.deepEqual(
        tags.map((tag) => [tag.slug, tag.count]),
        [
          ['budzet', 1],
          ['izbori', 1],
          ['svemir', 1],
          ['vlada', 2],
        ],
      );
      const categories = await service.store.listCategories();
      assert.deepEqual(
        categories.map((category) => [category.slug, category.name, category.count]),
        [
          ['nauka', 'Наука', 1],
          ['sport', 'Spорт', 1],
          ['srbija', 'Србија', 2],
          ['svet', 'Свет', 1],
        ],
      );
    });

    it('reads one feed page with its total and scope version from one snapshot', async () => {
      const page = await service.store.feedPage({ category: 'srbija' }, 1, 1);
      assert.equal(page.total, 2);
      assert.equal(page.entries.length, 1);
      assert.deepEqual(page.scope, await service.store.scopeVersion('category:srbija'));
      assert.ok(page.scope.version >= 1 && page.scope.changedAt > 0);
    });

    it('moves exactly the scopes a commit changed, and their times only forward', async () => {
      const before = await service.store.version();
      const siteBefore = await service.store.scopeVersion('site');
      const untouched = await service.store.scopeVersion('category:svet');
      service.write('a.txt', article('Србија', 'Влада усвојила буџет', ['буџет', 'министарство']));
      const summary = await service.pass('2026-11-25T08:05:00Z');
      assert.equal(summary.updated, 1);
      const change = await service.store.changesSince(before);
      assert.equal(change.version, before + 1);
      assert.notEqual(change.scopes, 'all');
      const moved = [...(change.scopes as Map<string, unknown>).keys()].sort();
      assert.deepEqual(moved, ['category:srbija', 'site', 'tag:budzet', 'tag:ministarstvo', 'tag:vlada']);
      const siteAfter = await service.store.scopeVersion('site');
      assert.ok(siteAfter.changedAt > siteBefore.changedAt, 'a second commit within one second still moves forward');
      assert.deepEqual(await service.store.scopeVersion('category:svet'), untouched);
      // An unchanged pass commits nothing new.
      await service.pass('2026-11-25T08:10:00Z');
      assert.equal(await service.store.version(), before + 1);
    });

    it('follows a file whose id changes, and two files that swap ids, in one pass each', async () => {
      const withId = (id: string, title: string) => `---\nid: ${id}\n---\n${article('Свет', title)}`;
      service.write('x.txt', withId('prvi-id', 'Вест са идентитетом'));
      service.write('y.txt', withId('drugi-id', 'Друга вест са идентитетом'));
      await service.pass('2026-11-25T08:05:00Z');
      service.write('x.txt', withId('novi-id', 'Вест са идентитетом'));
      const renamed = await service.pass('2026-11-25T08:10:00Z');
      assert.equal(renamed.rejected, 0);
      service.write('x.txt', withId('drugi-id', 'Вест са идентитетом'));
      service.write('y.txt', withId('novi-id', 'Друга вест са идентитетом'));
      const swapped = await service.pass('2026-11-25T08:15:00Z');
      assert.equal(swapped.rejected, 0);
      const keys = new Map(
        (await service.store.listEntries({ category: 'svet' }, 10, 0)).map((entry) => [entry.sourcePath, entry.key]),
      );
      assert.equal(keys.get('x.txt'), 'drugi-id');
      assert.equal(keys.get('y.txt'), 'novi-id');
      assert.equal(await service.store.countEntries({}), 7);
    });

    it('retracts removed files and rolls a pass back without a trace', async () => {
      fs.rmSync(path.join(service.articlesDir, 'b.txt'));
      const summary = await service.pass('2026-11-25T08:05:00Z');
      assert.equal(summary.retracted, 1);
      await request(service.app).get('/categories/svet/rss.xml').expect(404);
      const version = await service.store.version();
      const writer = await service.store.beginPass();
      await writer.remove('a.txt');
      await writer.rollback();
      assert.equal(await service.store.version(), version);
      assert.equal(await service.store.countEntries({}), 4);
      assert.deepEqual(
        (await service.store.sourceStamps('', undefined, 100)).map((stamp) => stamp.path),
        ['a.txt', 'c.txt', 'd/e.txt', 'f.json'],
      );
    });

    it('tells a watcher about commits made through another connection (another process)', async () => {
      const other: Store = openStore(service.config.databaseUrl);
      const heard: StoreChange[] = [];
      const watch = other.watchCommits((change) => heard.push(change), 100);
      try {
        await watch.check();
        heard.length = 0;
        service.write('g.txt', article('Култура', 'Нова изложба'));
        await service.pass('2026-11-25T08:05:00Z');
        await watch.check();
        const scopes = heard.at(-1)?.scopes;
        assert.ok(scopes instanceof Map, 'the watcher heard the commit');
        assert.ok(scopes.has('category:kultura') && scopes.has('site'));
      } finally {
        watch.stop();
        await other.close();
      }
    });

    if (kind === postgres)
      it('lets one pass at a time hold the pass lock, across connections', async () => {
        const other = openStore(service.config.databaseUrl);
        const writer = await service.store.beginPass();
        try {
          await assert.rejects(other.beginPass(), PassLockedError);
        } finally {
          await writer.rollback();
        }
        const second = await other.beginPass();
        await second.rollback();
        await other.close();
      });
  });

describe('the store contract: both stores render the same bytes', () => {
  before(async function () {
    await skipWithoutPostgres(this);
  });

  it('serves byte-identical feeds (and ETags) from SQLite and PostgreSQL for the same articles', async () => {
    const [onSqlite, onPostgres] = await Promise.all([serviceOn(sqlite), serviceOn(postgres)]);
    try {
      await onSqlite.service.pass('2026-11-25T08:00:00Z');
      await onPostgres.service.pass('2026-11-25T08:00:00Z');
      assert.deepEqual(await feedBodies(onPostgres.service), await feedBodies(onSqlite.service));
      const etag = async (service: TestService) =>
        (await request(service.app).get('/rss.xml').expect(200)).headers.etag;
      assert.equal(await etag(onPostgres.service), await etag(onSqlite.service));
    } finally {
      await Promise.all([onSqlite.dispose(), onPostgres.dispose()]);
    }
  });
});
