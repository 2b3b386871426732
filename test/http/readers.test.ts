import assert from 'node:assert/strict';
import request from 'supertest';
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

    it('gives each feed one URL: another case or a trailing slash is 404', async () => {
      for (const path of ['/rss.xml', '/lat/atom.xml', '/categories/rusija/feed.json', '/tags/metro/rss.xml', '/opml.xml', '/feed.xsl'])
        await request(service.app).get(path).expect(200);
      // Twice each: the first request renders through Express, the second may be answered by the fast path.
      for (const path of ['/RSS.xml', '/rss.xml/', '/Lat/atom.xml', '/lat/atom.xml/', '/categories/Rusija/feed.json', '/categories/rusija/feed.json/', '/tags/metro/RSS.xml', '/OPML.xml', '/opml.xml/', '/feed.xsl/'])
        for (let attempt = 0; attempt < 2; attempt += 1) await request(service.app).get(path).expect(404);
    });
  });
});
