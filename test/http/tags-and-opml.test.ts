import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { assertValidFeed, readWithAll } from '../support/third-party.js';
import { BASE_URL, startSampleService, type TestService } from '../support/service.js';

describe('tag feeds and OPML', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  it('publishes a feed per front-matter tag in every format, holding exactly the entries with that tag', async () => {
    const tags = await service.store.listTags();
    const metro = tags.find((tag) => tag.name === 'метро');
    assert.ok(metro, 'the sample articles tag one story "метро"');
    assert.equal(metro.slug, 'metro');
    for (const [format, file] of [
      ['rss', 'rss.xml'],
      ['atom', 'atom.xml'],
      ['json', 'feed.json'],
    ] as const) {
      const body = (await request(service.app).get(`/tags/metro/${file}`).expect(200)).text;
      await assertValidFeed(body, format);
      for (const [reader, feed] of await readWithAll(body, format)) {
        assert.equal(feed.items.length, metro.count, reader);
        for (const item of feed.items) assert.ok(item.categories.includes('метро'), reader);
        assert.equal(feed.title, 'Вести: #метро', reader);
      }
    }
    await request(service.app).get('/tags/nema-te-oznake/rss.xml').expect(404);
    await request(service.app).get('/tags/metro').expect(200);
  });

  it('lists every feed once in /opml.xml (OPML 2.0), linked from the index page', async () => {
    const response = await request(service.app)
      .get('/opml.xml')
      .expect(200)
      .expect('Content-Type', 'text/x-opml; charset=utf-8');
    const opml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(response.text);
    assert.equal(opml.opml.version, '2.0');
    type Outline = { xmlUrl?: string; outline?: Outline | Outline[] };
    const xmlUrls = (node: Outline | Outline[] | undefined): string[] =>
      node === undefined
        ? []
        : Array.isArray(node)
          ? node.flatMap(xmlUrls)
          : [...(node.xmlUrl ? [node.xmlUrl] : []), ...xmlUrls(node.outline)];
    const urls = xmlUrls(opml.opml.body.outline);
    const categories = await service.store.listCategories();
    const tags = await service.store.listTags();
    assert.equal(urls.length, 2 * (1 + categories.length + tags.length), 'every feed, in both scripts');
    assert.equal(new Set(urls).size, urls.length);
    for (const prefix of ['', '/lat']) {
      assert.ok(urls.includes(`${BASE_URL}${prefix}/rss.xml`));
      for (const category of categories)
        assert.ok(urls.includes(`${BASE_URL}${prefix}/categories/${category.slug}/rss.xml`));
      for (const tag of tags) assert.ok(urls.includes(`${BASE_URL}${prefix}/tags/${tag.slug}/rss.xml`));
    }
    for (const url of urls) await request(service.app).get(url.slice(BASE_URL.length)).expect(200);
    const index = await request(service.app).get('/').expect(200);
    assert.ok(index.text.includes(`href="${BASE_URL}/opml.xml"`));
  });

  it('re-renders a tag feed when a tagged article changes', async () => {
    const before = await request(service.app).get('/tags/metro/feed.json').expect(200);
    service.write('nova-metro.txt', '---\ntags: [метро]\n---\nСрбија\n\nНова вест о метроу\n\nУвод\n\nПасус.\n');
    await service.pass('2026-11-25T09:00:00Z');
    const after = await request(service.app).get('/tags/metro/feed.json').expect(200);
    assert.notEqual(after.headers.etag, before.headers.etag);
    assert.ok(after.text.includes('Нова вест о метроу'));
  });
});
