import assert from 'node:assert/strict';
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseAtomFeed } from 'feedsmith';
import RssParser from 'rss-parser';
import request from 'supertest';
import { readWithFeedsmith } from '../support/third-party.js';
import { startSampleService, type TestService } from '../support/service.js';

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
});
