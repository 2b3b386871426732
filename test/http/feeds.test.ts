import assert from 'node:assert/strict';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import request from 'supertest';
import type { Entry } from '../../src/entries/entry.js';
import { assertValidFeed, readWithAll, type FeedFormat, type ReadFeed } from '../support/third-party.js';
import {
  BASE_URL,
  SEED_FILE,
  startSampleService,
  startTestService,
  writeArticles,
  type TestService,
} from '../support/service.js';

const FEEDS: Array<{ format: FeedFormat; file: string; contentType: string }> = [
  { format: 'rss', file: 'rss.xml', contentType: 'application/rss+xml; charset=utf-8' },
  { format: 'atom', file: 'atom.xml', contentType: 'application/atom+xml; charset=utf-8' },
  { format: 'json', file: 'feed.json', contentType: 'application/feed+json; charset=utf-8' },
];
const SCOPES = [
  { name: 'site-wide', prefix: '', category: undefined },
  { name: 'category Русија', prefix: '/categories/rusija', category: 'rusija' },
];
const SEED_ID = `tag:feeds.example.test,2026:article/${SEED_FILE}`;

describe('published feeds, read by third-party parsers', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  for (const scope of SCOPES) {
    for (const feed of FEEDS) {
      describe(`${scope.name} ${feed.format} (${scope.prefix}/${feed.file})`, () => {
        let body: string;
        let expected: Entry[];
        let readers: Array<[string, ReadFeed]>;
        before(async () => {
          const response = await request(service.app).get(`${scope.prefix}/${feed.file}`).expect(200);
          assert.equal(response.headers['content-type'], feed.contentType);
          body = response.text;
          expected = await service.store.listEntries(scope.category ? { category: scope.category } : {}, 50, 0);
          readers = await readWithAll(body, feed.format);
        });

        it('is valid for its format (well-formed XML, RFC 4287 RELAX NG, JSON Feed 1.1 schema)', async () => {
          await assertValidFeed(body, feed.format);
        });

        it('round-trips every title, summary, category, id and date exactly through every reader', () => {
          assert.ok(expected.length > 0);
          for (const [reader, read] of readers) {
            assert.equal(read.items.length, expected.length, reader);
            read.items.forEach((item, index) => {
              const entry = expected[index]!;
              assert.equal(item.title, entry.title, `${reader} title`);
              assert.equal(item.summary, entry.summary, `${reader} summary`);
              assert.equal(item.link, `${BASE_URL}/articles/${entry.slug}`, `${reader} link`);
              assert.equal(item.published, entry.published, `${reader} published`);
              if (feed.format !== 'rss') assert.equal(item.updated, entry.updated, `${reader} updated`);
              assert.deepEqual(
                item.categories,
                [entry.category.name, ...entry.tags.map((tag) => tag.name)],
                `${reader} categories`,
              );
              assert.match(item.id, /^tag:feeds\.example\.test,2026:article\//, `${reader} id`);
            });
          }
        });

        it('lists entries newest first and declares the language', () => {
          for (const [reader, read] of readers) {
            const dates = read.items.map((item) => item.published ?? '');
            assert.deepEqual(dates, [...dates].sort().reverse(), reader);
            if (read.language !== undefined) assert.equal(read.language, 'sr', reader);
          }
        });

        it('names its own absolute URL as self', () => {
          const [, read] = readers[0]!;
          assert.equal(read.selfUrl, `${BASE_URL}${scope.prefix}/${feed.file}`);
        });
      });
    }
  }

  it('publishes one id per entry, identical in RSS guid, Atom id and JSON Feed id', async () => {
    const ids: Record<string, string[]> = {};
    for (const feed of FEEDS) {
      const response = await request(service.app).get(`/${feed.file}`).expect(200);
      const [, read] = (await readWithAll(response.text, feed.format))[0]!;
      ids[feed.format] = read.items.map((item) => item.id);
    }
    assert.ok(ids.rss?.includes(SEED_ID));
    assert.deepEqual(ids.atom, ids.rss);
    assert.deepEqual(ids.json, ids.rss);
    assert.equal(new Set(ids.rss).size, ids.rss?.length);
  });

  it('marks RSS guids as not permalinks and carries content:encoded, dc:creator, category and atom:link self', async () => {
    const response = await request(service.app).get('/categories/rusija/rss.xml').expect(200);
    const rss = parseRssFeed(response.text);
    assert.equal(rss.language, 'sr');
    assert.deepEqual(rss.atom?.links?.[0], {
      href: `${BASE_URL}/categories/rusija/rss.xml`,
      rel: 'self',
      type: 'application/rss+xml',
    });
    const seed = rss.items?.find((item) => item.guid?.value === SEED_ID);
    assert.equal(seed?.guid?.isPermaLink, false);
    assert.match(
      seed.content?.encoded ?? '',
      /^<p><small>Фото: www\.globallookpress\.com © Alexei Druzhinin\/ZUMAPRESS\.com<\/small><\/p><p>Интеракција/,
    );
    const seedEntry = (await service.store.listEntries({ category: 'rusija' }, 200, 0)).find(
      (entry) => entry.key === SEED_FILE,
    );
    assert.ok(seedEntry && seedEntry.paragraphs.length > 0);
    assert.equal(seed.content?.encoded?.match(/<p>(?!<small>)/g)?.length, seedEntry.paragraphs.length);
    assert.deepEqual(seed.dc?.creators, ['Вести']);
    assert.deepEqual(seed.categories, [{ name: 'Русија', domain: `${BASE_URL}/categories/` }]);
  });

  it('gives Atom feed and entries id, updated, author, self and alternate links, term+label categories and xml:lang', async () => {
    const response = await request(service.app).get('/categories/rusija/atom.xml').expect(200);
    const atom = parseAtomFeed(response.text);
    assert.equal(atom.id, 'tag:feeds.example.test,2026:feed/categories/rusija');
    assert.equal(atom.xml?.lang, 'sr');
    assert.deepEqual(atom.authors, [{ name: 'Вести' }]);
    assert.deepEqual(
      atom.links?.map((link) => [link.rel, link.href]),
      [
        ['self', `${BASE_URL}/categories/rusija/atom.xml`],
        ['alternate', `${BASE_URL}/categories/rusija`],
      ],
    );
    const newest = atom.entries
      ?.map((entry) => entry.updated ?? '')
      .sort()
      .at(-1);
    assert.equal(atom.updated, newest, 'the feed is as new as its newest entry, never "now"');
    const seed = atom.entries?.find((entry) => entry.id === SEED_ID);
    assert.deepEqual(seed?.categories, [{ term: 'Русија', label: 'Русија', scheme: `${BASE_URL}/categories/` }]);
    assert.equal(seed.title?.type, 'text');
    assert.equal(seed.content?.type, 'html');
  });

  it('writes JSON Feed 1.1 with language, authors, home_page_url and feed_url', async () => {
    const response = await request(service.app).get('/feed.json').expect(200);
    const json = parseJsonFeed(response.text);
    assert.equal(JSON.parse(response.text).version, 'https://jsonfeed.org/version/1.1');
    assert.equal(json.language, 'sr');
    assert.deepEqual(json.authors, [{ name: 'Вести' }]);
    assert.equal(json.home_page_url, `${BASE_URL}/`);
    assert.equal(json.feed_url, `${BASE_URL}/feed.json`);
  });

  it('answers an unknown category with 404 in every format', async () => {
    for (const feed of FEEDS) await request(service.app).get(`/categories/nepostojeca/${feed.file}`).expect(404);
  });

  it('publishes a feed for every category, each holding only its own entries', async () => {
    const own = await startTestService();
    try {
      writeArticles(own, 6, { categories: ['Спорт', 'Свет', 'Спорт', 'Култура'] });
      await own.pass('2026-11-25T08:00:00Z');
      const categories = await own.store.listCategories();
      assert.deepEqual(categories.map((category) => [category.slug, category.count]).sort(), [
        ['kultura', 1],
        ['sport', 3],
        ['svet', 2],
      ]);
      for (const category of categories) {
        const response = await request(own.app).get(`/categories/${category.slug}/feed.json`).expect(200);
        const items = JSON.parse(response.text).items as Array<{ tags: string[] }>;
        assert.equal(items.length, category.count);
        for (const item of items) assert.equal(item.tags[0], category.name);
      }
    } finally {
      await own.close();
    }
  });
});
