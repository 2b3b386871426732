import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { NormalisedEntry } from '../../src/entries/entry.js';
import { analyseFile } from '../../src/jobs/decide-file.js';
import { openStore } from '../../src/store/open-store.js';
import {
  PassLockedError,
  type PassSummary,
  type SourceFile,
  type Store,
  type StoreChange,
  type StoredStamp,
} from '../../src/store/store.js';
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

/** The order the walk merges in (comparePaths): UTF-8 bytes, which is code point order. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Paths whose UTF-16 order differs from their byte order: U+E000–U+FFFF sort before astral characters (😀,
 * U+10FFFF) by bytes and after them by UTF-16 code unit. '-' and '.' sort before '/' and '0' after it.
 */
const TRICKY_PATHS = [
  'z/a.txt',
  'z/a-b.txt',
  'z/a.b.txt',
  'z/a/b.txt',
  'z/a0.txt',
  'z/Z.txt',
  'z/ж.txt',
  'z/\uD7FF.txt',
  'z/\uE000.txt',
  'z/\uE000/b.txt',
  'z/\uFFFD.txt',
  'z/\uFFFF.txt',
  'z/😀.txt',
  'z/😀/a.txt',
  'z/\u{10FFFF}.txt',
];

const fileRecord = (filePath: string, entryKey: string | null = null): SourceFile => ({
  path: filePath,
  hash: `hash of ${filePath}`,
  size: 120,
  mtimeMs: 1_764_057_600_000.5,
  entryKey,
  firstSeen: '2026-11-25T08:00:00Z',
  lastChanged: null,
  rejection: null,
});

/** A summary for a commit the test makes through a writer of its own. */
const summaryAt = (at: string): PassSummary => ({
  startedAt: at,
  finishedAt: at,
  durationMs: 0,
  runBy: 'store contract test',
  scanned: 0,
  new: 0,
  updated: 0,
  unchanged: 0,
  retracted: 0,
  rejected: 0,
  rejectedFiles: [],
  warnings: [],
});

/** The entry the job would make of an article titled `title` at `filePath`, published under `key`. */
function entryOf(filePath: string, title: string, key: string): NormalisedEntry {
  const text = filePath.endsWith('.json')
    ? JSON.stringify({ category: 'Свет', title, lead: 'Увод.', body: ['Пасус.'] })
    : article('Свет', title);
  const analysis = analyseFile({
    path: filePath,
    bytes: Buffer.from(text),
    firstSeen: '2026-11-25T08:05:00Z',
    lastChanged: null,
    context: { now: '2026-11-25T08:05:00Z', language: 'sr', defaultAuthor: 'Редакција' },
  });
  if (!analysis.ok) throw new Error(`${filePath} does not analyse: ${analysis.reason}`);
  return { ...analysis.entry, key };
}

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

    it('reads file stamps in UTF-8 byte order (astral and U+E000+ characters too), by range and page, and one by path', async () => {
      const writer = await service.store.beginPass();
      for (const filePath of TRICKY_PATHS) await writer.saveSourceFile(fileRecord(filePath));
      await writer.commit(summaryAt('2026-11-25T08:05:00Z'));
      const every = [...Object.keys(FIXTURE), ...TRICKY_PATHS].sort(byteOrder);
      // The walk merges these records with the files it finds in this order: a store that sorted otherwise would
      // make a file look deleted (retracted) and then new again.
      assert.notDeepEqual(every, [...every].sort(), 'the paths tell byte order from UTF-16 order');
      const paths = (stamps: readonly StoredStamp[]) => stamps.map((stamp) => stamp.path);
      const stamps = await service.store.sourceStamps('', undefined, 1000);
      assert.deepEqual(paths(stamps), every);
      // What a pass skips a file on: its stamp, and whether it is published (an entry, and no rejection).
      assert.deepEqual(
        stamps.find((stamp) => stamp.path === 'z/😀.txt'),
        { path: 'z/😀.txt', size: 120, mtimeMs: 1_764_057_600_000.5, entryKey: null, published: false },
      );
      assert.equal(stamps.find((stamp) => stamp.path === 'a.txt')?.published, true);

      const paged: string[] = [];
      for (let after = ''; ;) {
        const page = await service.store.sourceStamps(after, undefined, 4);
        paged.push(...paths(page));
        if (page.length < 4) break;
        after = page.at(-1)!.path;
      }
      assert.deepEqual(paged, every);

      const between = (after: string, before: string | undefined, limit: number) =>
        every
          .filter((p) => byteOrder(p, after) > 0 && (before === undefined || byteOrder(p, before) < 0))
          .slice(0, limit);
      const ranges: Array<[string, string | undefined, number]> = [
        // Everything under z/: what a pass over only that folder reads.
        ['z/', 'z0', 1000],
        ['z/\uE000.txt', 'z/😀/a.txt', 1000],
        ['z/\uD7FF.txt', undefined, 3],
        ['z/😀', 'z/\u{10FFFF}', 1000],
        ['', 'b.txt', 1000],
        ['z/a', 'z/a/', 1000],
        ['z/😀.txt', 'z/😀.txt', 1000],
      ];
      for (const [after, before, limit] of ranges)
        assert.deepEqual(
          paths(await service.store.sourceStamps(after, before, limit)),
          between(after, before, limit),
          `after ${JSON.stringify(after)} before ${JSON.stringify(before)}`,
        );
      // Records by their paths: exactly those paths, not the next ones in order, nor ones they are a prefix of.
      assert.deepEqual(await service.store.sourceFiles(['z/😀.txt']), [fileRecord('z/😀.txt')]);
      const found = await service.store.sourceFiles(['d/e.txt', 'z/missing.txt', 'z/😀', 'd', 'z/😀.txt']);
      assert.deepEqual(found.map((record) => record.path).sort(), ['d/e.txt', 'z/😀.txt']);
      assert.equal(found.find((record) => record.path === 'd/e.txt')?.entryKey, 'd/e.txt');
      assert.deepEqual(await service.store.sourceFiles([]), []);
    });

    it("tells who holds entry ids counting the pass's own uncommitted writes, as they will be once committed", async () => {
      // Fewer than 500 writes: the PostgreSQL writer still holds every one of them in its queue.
      const KEYS = ['a.txt', 'b.txt', 'c.txt', 'c-novi-id', 'd/e.txt', 'f.json', 'novi-id', 'niciji-id'];
      const expected = {
        'a.txt': 'a.txt',
        'b.txt': 'h.txt',
        'c.txt': 'i.txt',
        'c-novi-id': 'c.txt',
        'd/e.txt': 'f.json',
        'f.json': 'd/e.txt',
        'novi-id': 'g.txt',
      };
      const writer = await service.store.beginPass();
      try {
        const holders = async (keys: readonly string[]) => Object.fromEntries(await writer.entryHolders(keys));
        assert.deepEqual(await holders(['a.txt', 'b.txt', 'niciji-id']), { 'a.txt': 'a.txt', 'b.txt': 'b.txt' });

        // A new file under a new id.
        await writer.upsert(fileRecord('g.txt', 'novi-id'), entryOf('g.txt', 'Нова вест', 'novi-id'), null);
        assert.deepEqual(await holders(['novi-id', 'a.txt', 'niciji-id']), { 'novi-id': 'g.txt', 'a.txt': 'a.txt' });

        // A deleted file lets its id go, and a new file may take it up in the same pass.
        await writer.remove('b.txt');
        assert.deepEqual(await holders(['b.txt']), {});
        await writer.upsert(fileRecord('h.txt', 'b.txt'), entryOf('h.txt', 'Наследник', 'b.txt'), null);
        assert.deepEqual(await holders(['b.txt']), { 'b.txt': 'h.txt' });

        // A file moving to a new id lets its old one go, to another file here.
        await writer.upsert(fileRecord('c.txt', 'c-novi-id'), entryOf('c.txt', 'Ц', 'c-novi-id'), 'c.txt');
        assert.deepEqual(await holders(['c.txt', 'c-novi-id']), { 'c-novi-id': 'c.txt' });
        await writer.upsert(fileRecord('i.txt', 'c.txt'), entryOf('i.txt', 'И', 'c.txt'), null);
        assert.deepEqual(await holders(['c.txt', 'c-novi-id']), { 'c.txt': 'i.txt', 'c-novi-id': 'c.txt' });

        // Two files swapping ids: the second one's old id is already the first one's, and stays so.
        await writer.upsert(fileRecord('d/e.txt', 'f.json'), entryOf('d/e.txt', 'Д', 'f.json'), 'd/e.txt');
        assert.deepEqual(await holders(['d/e.txt', 'f.json']), { 'f.json': 'd/e.txt' });
        await writer.upsert(fileRecord('f.json', 'd/e.txt'), entryOf('f.json', 'Ф', 'd/e.txt'), 'f.json');
        assert.deepEqual(await holders(['d/e.txt', 'f.json']), { 'f.json': 'd/e.txt', 'd/e.txt': 'f.json' });

        assert.deepEqual(await holders(KEYS), expected);
        await writer.commit(summaryAt('2026-11-25T08:05:00Z'));
      } catch (error) {
        await writer.rollback();
        throw error;
      }
      // What the writer answered from its queue is what the database holds once the queue is written.
      const next = await service.store.beginPass();
      try {
        assert.deepEqual(Object.fromEntries(await next.entryHolders(KEYS)), expected);
      } finally {
        await next.rollback();
      }
      const published = await service.store.listEntries({}, 100, 0);
      assert.deepEqual(Object.fromEntries(published.map((entry) => [entry.key, entry.sourcePath])), expected);
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
