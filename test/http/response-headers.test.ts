import assert from 'node:assert/strict';
import request from 'supertest';
import { startSampleService, type TestService } from '../support/service.js';

describe('validators and sniffing', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  it('gives pages and OPML strong ETags and answers If-None-Match with 304', async () => {
    const [entry] = await service.store.listEntries({}, 1, 0);
    assert.ok(entry);
    const [category] = await service.store.listCategories();
    assert.ok(category);
    for (const path of ['/', '/lat/', `/articles/${entry.slug}`, `/categories/${category.slug}`, '/opml.xml']) {
      const first = await request(service.app).get(path).expect(200);
      const etag = String(first.headers.etag);
      assert.match(etag, /^"[^"]+"$/, `${path} has a strong ETag`);
      const again = await request(service.app).get(path).set('If-None-Match', etag).expect(304);
      assert.equal(again.text, '', `${path} sends no body with its 304`);
    }
  });

  it('keeps the precomputed ETag of feeds served through Express', async () => {
    const fast = await request(service.app).get('/rss.xml').expect(200);
    const routed = await request(service.app).get('/rss.xml?page=1').expect(200);
    assert.equal(routed.headers.etag, fast.headers.etag);
    await request(service.app).get('/rss.xml?page=1').set('If-None-Match', String(fast.headers.etag)).expect(304);
  });

  it('tells browsers not to sniff feeds, in every variant', async () => {
    for (const path of ['/rss.xml', '/atom.xml', '/feed.json', '/rss.xml?page=1']) {
      for (const encoding of ['identity', 'gzip', 'br'])
        await request(service.app)
          .get(path)
          .set('Accept-Encoding', encoding)
          .expect(200)
          .expect('X-Content-Type-Options', 'nosniff');
      await request(service.app)
        .get(path)
        .set('Accept', 'text/html')
        .expect(200)
        .expect('X-Content-Type-Options', 'nosniff');
    }
  });
});
