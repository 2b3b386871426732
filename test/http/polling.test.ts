import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { rawRequest } from '../support/raw-http.js';
import { startSampleService, type TestService } from '../support/service.js';

describe('HTTP for pollers', () => {
  let service: TestService;
  let plain: Awaited<ReturnType<typeof rawRequest>>;
  before(async () => {
    service = await startSampleService({ CACHE_MAX_AGE: '240' });
    plain = await rawRequest(service.app, '/rss.xml');
  });
  after(() => service.close());

  describe('validators and caching headers', () => {
    it('sends a strong ETag, Last-Modified of the last commit that changed the feed, Cache-Control, Vary and CORS', async () => {
      assert.equal(plain.status, 200);
      assert.match(String(plain.headers.etag), /^"[A-Za-z0-9_-]+"$/);
      const { changedAt } = await service.store.scopeVersion('site');
      assert.ok(changedAt > 0);
      assert.equal(plain.headers['last-modified'], new Date(changedAt * 1000).toUTCString());
      assert.equal(plain.headers['cache-control'], 'public, max-age=240, stale-while-revalidate=240');
      assert.equal(plain.headers.vary, 'Accept, Sec-Fetch-Dest, Accept-Encoding');
      assert.equal(plain.headers['access-control-allow-origin'], '*');
      assert.equal(plain.headers['content-length'], String(plain.body.length));
    });

    const notModified: Array<[string, (etag: string) => Record<string, string>]> = [
      ['the exact ETag', (etag) => ({ 'If-None-Match': etag })],
      ['a list holding the ETag', (etag) => ({ 'If-None-Match': `"other", ${etag}, "more"` })],
      ['*', () => ({ 'If-None-Match': '*' })],
      ['the weak form of the ETag', (etag) => ({ 'If-None-Match': `W/${etag}` })],
      ['If-Modified-Since at Last-Modified', () => ({ 'If-Modified-Since': String(plain.headers['last-modified']) })],
    ];
    for (const [name, headers] of notModified) {
      it(`answers 304 with no body for ${name}`, async () => {
        const response = await rawRequest(service.app, '/rss.xml', { headers: headers(String(plain.headers.etag)) });
        assert.equal(response.status, 304);
        assert.equal(response.body.length, 0);
        assert.equal(response.headers.etag, plain.headers.etag);
        assert.equal(response.headers['cache-control'], plain.headers['cache-control']);
      });
    }

    it('lets If-None-Match win over If-Modified-Since (RFC 9110 §13.2.2)', async () => {
      const response = await rawRequest(service.app, '/rss.xml', {
        headers: { 'If-None-Match': '"stale"', 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' },
      });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, plain.body);
    });

    it('answers 200 when the copy is older than Last-Modified, or the date is garbage', async () => {
      for (const since of ['Mon, 01 Jan 2001 00:00:00 GMT', 'not a date']) {
        const response = await rawRequest(service.app, '/rss.xml', { headers: { 'If-Modified-Since': since } });
        assert.equal(response.status, 200, since);
      }
    });

    it('renders the same bytes after a restart on the same store', async () => {
      const { SqliteStore } = await import('../../src/store/sqlite/store.js');
      const reopened = new SqliteStore(service.databaseFile);
      const { FeedCache } = await import('../../src/feeds/cache.js');
      const { ByteLru } = await import('../../src/feeds/byte-lru.js');
      const { ScopeVersions } = await import('../../src/feeds/scope-versions.js');
      const cache = new FeedCache(reopened, service.editions[0]!.edition, {
        rendered: new ByteLru(service.config.feedCacheMaxBytes),
        scopes: new ScopeVersions(reopened),
      });
      const lookup = await cache.get({ kind: 'site' }, 'rss', { page: 1, limit: service.config.feedLimit });
      assert.ok(lookup.found);
      assert.deepEqual(lookup.feed.variants.identity.body, plain.body);
      assert.equal(lookup.feed.variants.identity.etag, plain.headers.etag);
      await reopened.close();
    });
  });

  describe('content codings', () => {
    const cases: Array<[string, string]> = [
      ['gzip', 'gzip'],
      ['br', 'br'],
      ['gzip, deflate, br', 'br'],
      ['br;q=0.5, gzip', 'gzip'],
      ['gzip;q=0, br;q=0', 'identity'],
      ['identity', 'identity'],
      ['*', 'br'],
      ['identity;q=0, gzip', 'gzip'],
      ['compress, deflate', 'identity'],
    ];
    for (const [acceptEncoding, expected] of cases) {
      it(`sends ${expected} for Accept-Encoding: ${acceptEncoding}`, async () => {
        const response = await rawRequest(service.app, '/atom.xml', { headers: { 'Accept-Encoding': acceptEncoding } });
        assert.equal(response.status, 200);
        assert.equal(response.headers['content-encoding'], expected === 'identity' ? undefined : expected);
        const decoded =
          expected === 'gzip'
            ? zlib.gunzipSync(response.body)
            : expected === 'br'
              ? zlib.brotliDecompressSync(response.body)
              : response.body;
        const identity = await rawRequest(service.app, '/atom.xml');
        assert.deepEqual(decoded, identity.body);
      });
    }

    it('answers 406 when every coding, identity included, is refused', async () => {
      const response = await rawRequest(service.app, '/atom.xml', { headers: { 'Accept-Encoding': '*;q=0' } });
      assert.equal(response.status, 406);
    });

    it('gives each encoding its own ETag, and a 304 only for the ETag of the encoding being sent', async () => {
      const gzip = await rawRequest(service.app, '/rss.xml', { headers: { 'Accept-Encoding': 'gzip' } });
      const br = await rawRequest(service.app, '/rss.xml', { headers: { 'Accept-Encoding': 'br' } });
      assert.equal(new Set([plain.headers.etag, gzip.headers.etag, br.headers.etag]).size, 3);
      const revalidated = await rawRequest(service.app, '/rss.xml', {
        headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': String(gzip.headers.etag) },
      });
      assert.equal(revalidated.status, 304);
      const crossed = await rawRequest(service.app, '/rss.xml', {
        headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': String(br.headers.etag) },
      });
      assert.equal(crossed.status, 200);
    });
  });

  describe('HEAD', () => {
    for (const url of ['/rss.xml', '/categories/rusija/feed.json', '/atom.xml?limit=3']) {
      it(`answers ${url} with the GET headers and no body`, async () => {
        const get = await rawRequest(service.app, url, { headers: { 'Accept-Encoding': 'gzip' } });
        const head = await rawRequest(service.app, url, { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } });
        assert.equal(head.status, 200);
        assert.equal(head.body.length, 0);
        for (const name of [
          'content-type',
          'content-length',
          'content-encoding',
          'etag',
          'last-modified',
          'cache-control',
          'vary',
        ])
          assert.equal(head.headers[name], get.headers[name], name);
      });
    }
  });

  describe('paging', () => {
    it('serves ?limit=N items and ?page=N slices that together list every entry once', async () => {
      const total = await service.store.countEntries({});
      const ids: string[] = [];
      for (let page = 1; page <= Math.ceil(total / 4); page += 1) {
        const response = await request(service.app).get(`/feed.json?limit=4&page=${page}`).expect(200);
        const items = JSON.parse(response.text).items as Array<{ id: string }>;
        assert.equal(items.length, Math.min(4, total - (page - 1) * 4));
        ids.push(...items.map((item) => item.id));
      }
      assert.equal(new Set(ids).size, total);
      await request(service.app)
        .get(`/feed.json?limit=4&page=${Math.ceil(total / 4) + 1}`)
        .expect(404);
    });

    it('links pages with RFC 5005 first/previous/next/last in RSS and Atom and next_url in JSON Feed', async () => {
      const { parseAtomFeed, parseRssFeed } = await import('feedsmith');
      const base = 'http://feeds.example.test';
      const total = await service.store.countEntries({});
      const last = Math.ceil(total / 4);
      const rels = (links: Array<{ rel?: string; href?: string }> | undefined) =>
        Object.fromEntries((links ?? []).map((link) => [link.rel, link.href]));
      const atom = parseAtomFeed((await request(service.app).get('/atom.xml?limit=4&page=2').expect(200)).text);
      assert.deepEqual(rels(atom.links), {
        self: `${base}/atom.xml?limit=4&page=2`,
        first: `${base}/atom.xml?limit=4`,
        previous: `${base}/atom.xml?limit=4`,
        next: `${base}/atom.xml?limit=4&page=3`,
        last: `${base}/atom.xml?limit=4&page=${last}`,
        alternate: `${base}/`,
      });
      const rss = parseRssFeed((await request(service.app).get('/rss.xml?limit=4').expect(200)).text);
      assert.deepEqual(rels(rss.atom?.links), {
        self: `${base}/rss.xml?limit=4`,
        first: `${base}/rss.xml?limit=4`,
        next: `${base}/rss.xml?limit=4&page=2`,
        last: `${base}/rss.xml?limit=4&page=${last}`,
      });
      const json = JSON.parse(
        (
          await request(service.app)
            .get(`/feed.json?limit=4&page=${last - 1}`)
            .expect(200)
        ).text,
      );
      assert.equal(json.next_url, `${base}/feed.json?limit=4&page=${last}`);
      const lastPage = JSON.parse((await request(service.app).get(`/feed.json?limit=4&page=${last}`).expect(200)).text);
      assert.equal(lastPage.next_url, undefined);
    });

    for (const query of [
      'limit=0',
      'limit=201',
      'limit=abc',
      'limit=-1',
      'limit=1.5',
      'limit=',
      'page=0',
      'page=x',
      'limit=2&limit=3',
    ]) {
      it(`answers ?${query} with 400 and a short reason`, async () => {
        const response = await request(service.app).get(`/rss.xml?${query}`).expect(400);
        assert.match(response.text, /^(limit|page) must be a whole number/);
      });
    }
  });

  describe('invalidation', () => {
    it('re-renders only the site feed and the categories of a changed article', async () => {
      const ready = (url: string) => service.cache.readyFeed(url);
      const urls = ['/rss.xml', '/categories/rusija/rss.xml', '/categories/sport/rss.xml', '/categories/svet/atom.xml'];
      for (const url of urls) await request(service.app).get(url).expect(200);
      const before = urls.map(ready);
      assert.ok(before.every(Boolean));
      const seed = path.join(service.articlesDir, '000_7313af71399f9727.txt');
      fs.appendFileSync(seed, '\nДодат пасус.\n');
      const summary = await service.pass('2026-11-25T09:00:00Z');
      assert.equal(summary.updated, 1);
      assert.notEqual(ready('/rss.xml'), before[0], 'site feed re-rendered');
      assert.notEqual(ready('/categories/rusija/rss.xml'), before[1], 'its category re-rendered');
      assert.equal(ready('/categories/sport/rss.xml'), before[2], 'other categories kept');
      assert.equal(ready('/categories/svet/atom.xml'), before[3], 'other categories kept');
      const fresh = await request(service.app).get('/categories/rusija/rss.xml').expect(200);
      assert.ok(fresh.text.includes('Додат пасус.'));
    });
  });
});
