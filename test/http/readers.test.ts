import assert from 'node:assert/strict';
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import RssParser from 'rss-parser';
import request from 'supertest';
import { readWithFeedsmith } from '../support/third-party.js';
import { startSampleService, startTestService, type TestService } from '../support/service.js';

/** A JSON article file: a complete article with `fields` over it. */
function jsonArticle(fields: Record<string, unknown>): string {
  return JSON.stringify({ category: 'Србија', title: 'Наслов', lead: 'Увод.', body: ['Први пасус.'], ...fields });
}

/** A service over exactly these article files, after one pass. */
async function serviceWith(files: Record<string, string>, env: Record<string, string> = {}): Promise<TestService> {
  const service = await startTestService({ env });
  for (const [name, content] of Object.entries(files)) service.write(name, content);
  await service.pass('2026-11-25T08:00:00Z');
  return service;
}

describe('what readers see', () => {
  describe('on the sample site', () => {
    let service: TestService;
    before(async () => {
      service = await startSampleService();
    });
    after(() => service.close());

    it('lets article pages show images from other https sites, still without inline script', async () => {
      const [entry] = await service.store.listEntries({}, 1, 0);
      const page = await request(service.app).get(`/articles/${entry?.slug}`).expect(200);
      const imgSrc = String(page.headers['content-security-policy']).split(';').find((directive) => directive.startsWith('img-src'));
      assert.deepEqual(imgSrc?.split(' ').slice(1).sort(), ["'self'", 'data:', 'https:']);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'(;|$)/);
    });

    it('names Atom categories by their name in term, as RSS and JSON Feed do, keeping label and scheme', async () => {
      const atom = (await request(service.app).get('/atom.xml?limit=200').expect(200)).text;
      const rss = (await request(service.app).get('/rss.xml?limit=200').expect(200)).text;
      const rssFeed = await readWithFeedsmith(rss, 'rss');
      const namesById = new Map(rssFeed.items.map((item) => [item.id, item.categories]));
      const feedsmith = parseAtomFeed(atom).entries ?? [];
      const rowan = parseFeed(atom).items;
      const rssParser = (await new RssParser<object, { atomCategories: Array<{ $: Record<string, string> }> }>({
        customFields: { item: [['category', 'atomCategories', { keepArray: true }]] },
      }).parseString(atom)).items;
      assert.ok(feedsmith.length > 0);
      feedsmith.forEach((entry, index) => {
        const names = namesById.get(entry.id ?? '');
        assert.ok(names && names.length > 0, entry.id);
        assert.deepEqual(entry.categories?.map((category) => category.term), names, 'feedsmith term');
        assert.deepEqual(entry.categories?.map((category) => category.label), names, 'feedsmith label');
        assert.ok(entry.categories?.every((category) => /^http:\/\/feeds\.example\.test\/(categories|tags)\/$/.test(category.scheme ?? '')), 'scheme');
        assert.deepEqual(rowan[index]?.categories.map((category) => category.term), names, '@rowanmanning/feed-parser term');
        assert.deepEqual(rssParser[index]?.atomCategories.map((category) => category.$.term), names, 'rss-parser term');
      });
    });

    it('gives each feed one URL: another case or a trailing slash is 404', async () => {
      for (const path of ['/rss.xml', '/lat/atom.xml', '/categories/rusija/feed.json', '/tags/metro/rss.xml', '/opml.xml', '/feed.xsl'])
        await request(service.app).get(path).expect(200);
      // Twice each: the first request renders through Express, the second may be answered by the fast path.
      for (const path of ['/RSS.xml', '/rss.xml/', '/Lat/atom.xml', '/lat/atom.xml/', '/categories/Rusija/feed.json', '/categories/rusija/feed.json/', '/tags/metro/RSS.xml', '/OPML.xml', '/opml.xml/', '/feed.xsl/'])
        for (let attempt = 0; attempt < 2; attempt += 1) await request(service.app).get(path).expect(404);
    });
  });

  describe('a photo credit without its photo', () => {
    const credit = 'www.agencija.rs © Петар Петровић';
    let service: TestService;
    before(async () => {
      service = await serviceWith({
        'credit-only.json': jsonArticle({ id: 'credit-only', title: 'Без слике', credit, published: '2026-11-24T08:00:00Z' }),
        'with-photo.json': jsonArticle({ id: 'with-photo', title: 'Са сликом', credit, image: 'https://images.example.org/a.jpg', published: '2026-11-23T08:00:00Z' }),
      });
    });
    after(() => service.close());

    const creditLine = (label: string, text: string) => `<p><small>${label}: ${text}</small></p>`;

    it('is a small line of text before the body in content:encoded and content_html, not an empty figure', async () => {
      const json = JSON.parse((await request(service.app).get('/feed.json').expect(200)).text) as { items: Array<{ id: string; content_html: string }> };
      const { items } = parseRssFeed((await request(service.app).get('/rss.xml').expect(200)).text);
      const contents = [...json.items.map((item) => [item.id, item.content_html]), ...(items ?? []).map((item) => [item.guid?.value, item.content?.encoded])];
      assert.equal(contents.length, 2 * 2, 'both articles in both feeds');
      for (const [id, html] of contents) {
        if (id?.endsWith('credit-only')) assert.equal(html, `${creditLine('Фото', 'www.agencija.rs © Петар Петровић')}<p>Први пасус.</p>`);
        else assert.match(html ?? '', /^<figure><img src="https:\/\/images\.example\.org\/a\.jpg" alt="Са сликом"><figcaption>Фото: www\.agencija\.rs © Петар Петровић<\/figcaption><\/figure><p>/);
      }
    });

    it('is a small line after the lead on the article page, in the script of the edition', async () => {
      const cyrillic = (await request(service.app).get('/articles/bez-slike').expect(200)).text;
      const latin = (await request(service.app).get('/lat/articles/bez-slike').expect(200)).text;
      assert.ok(!cyrillic.includes('<figure') && !latin.includes('<figure'));
      assert.ok(cyrillic.indexOf(creditLine('Фото', 'www.agencija.rs © Петар Петровић')) > cyrillic.indexOf('<strong>Увод.</strong>'));
      assert.ok(latin.indexOf(creditLine('Foto', 'www.agencija.rs © Petar Petrović')) > latin.indexOf('<strong>Uvod.</strong>'));
    });
  });
});
