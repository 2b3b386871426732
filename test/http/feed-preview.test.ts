import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { rawRequest, type RawResponse } from '../support/raw-http.js';
import { startSampleService, startTestService, type TestService } from '../support/service.js';

const run = promisify(execFile);

// What browsers send when a person opens a URL (Chromium, Firefox, Safari), without and with fetch metadata.
const CHROMIUM_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const FIREFOX_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const NAVIGATIONS: ReadonlyArray<Record<string, string>> = [
  { Accept: CHROMIUM_ACCEPT, 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-Mode': 'navigate' },
  { Accept: FIREFOX_ACCEPT, 'Sec-Fetch-Dest': 'document' },
  // Safari before 16.4 sends no fetch metadata: its Accept alone says it wants a page.
  { Accept: FIREFOX_ACCEPT },
  { Accept: 'TEXT/HTML' },
  // A navigation whose Accept a proxy flattened.
  { Accept: '*/*', 'Sec-Fetch-Dest': 'document' },
];
// Python feedparser 6's ACCEPT_HEADER (feedparser/http.py); the others are what readers and tools send.
const FEEDPARSER_ACCEPT =
  'application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1';
const READERS: ReadonlyArray<Record<string, string>> = [
  {},
  { Accept: '*/*' },
  { Accept: FEEDPARSER_ACCEPT },
  { Accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.8' },
  { Accept: 'application/atom+xml, application/rss+xml, application/xml;q=0.9, text/html;q=0.5, */*;q=0.1' },
  { Accept: 'application/feed+json, application/json;q=0.9, */*;q=0.8' },
  // HTML no better than a feed type, by q-value or at all: still the feed.
  { Accept: 'text/html;q=0.5, application/rss+xml' },
  { Accept: 'text/html;q=0.9, */*' },
  { Accept: 'text/*' },
  // A script in a page fetching the feed (fetch() sends */*) is no navigation.
  { Accept: '*/*', 'Sec-Fetch-Dest': 'empty', 'Sec-Fetch-Mode': 'cors' },
];
const FEEDS = [
  '/rss.xml',
  '/atom.xml',
  '/feed.json',
  '/categories/rusija/rss.xml',
  '/tags/metro/atom.xml',
  '/lat/rss.xml',
  '/lat/feed.json',
  '/rss.xml?limit=2&page=2',
];
const FEED_TYPE = /^application\/(rss\+xml|atom\+xml|feed\+json); charset=utf-8$/;
const VARY = 'Accept, Sec-Fetch-Dest, Accept-Encoding';

/** Parses with html5lib in strict mode, which raises on any HTML parse error; returns the parse's own checks. */
async function assertValidHtml(html: string, what: string): Promise<void> {
  const script =
    'import sys, html5lib\n' +
    'html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(sys.stdin.buffer.read().decode("utf-8"))\n';
  const child = run('/usr/bin/python3', ['-c', script]);
  child.child.stdin?.end(html);
  await child.catch((error: unknown) =>
    assert.fail(`${what} is not valid HTML: ${String((error as { stderr?: unknown }).stderr)}`),
  );
}

const get = (service: TestService, url: string, headers: Record<string, string> = {}) =>
  rawRequest(service.app, url, { headers });

describe('a feed opened in a browser gets an HTML preview; readers get the feed', function () {
  this.timeout(20_000);
  let service: TestService;
  // Each feed's bytes as a client without Accept gets them.
  const feeds = new Map<string, RawResponse>();
  before(async () => {
    service = await startSampleService();
    for (const url of FEEDS) {
      const feed = await get(service, url);
      assert.equal(feed.status, 200, url);
      feeds.set(url, feed);
    }
  });
  after(() => service.close());

  it('sends every reader (curl, feedparser, usual Accepts, no Accept) the feed bytes, unchanged', async () => {
    for (const url of FEEDS)
      for (const headers of READERS) {
        // Twice: the first may render through Express, the second is a cached poll.
        for (let attempt = 0; attempt < 2; attempt += 1) {
          const response = await get(service, url, headers);
          const what = `${url} with ${JSON.stringify(headers)}`;
          assert.equal(response.status, 200, what);
          assert.match(String(response.headers['content-type']), FEED_TYPE, what);
          assert.deepEqual(response.body, feeds.get(url)!.body, what);
          assert.equal(response.headers.etag, feeds.get(url)!.headers.etag, what);
          assert.equal(response.headers.vary, VARY, what);
        }
      }
  });

  it('sends the feed itself without an xml-stylesheet, which Chromium warns about', () => {
    for (const [url, feed] of feeds) assert.doesNotMatch(feed.body.toString(), /<\?xml-stylesheet/, url);
  });

  it('sends a browser opening a feed an HTML page of it, with Vary and its own ETag', async () => {
    for (const url of FEEDS)
      for (const headers of NAVIGATIONS) {
        const what = `${url} with ${JSON.stringify(headers)}`;
        for (let attempt = 0; attempt < 2; attempt += 1) {
          const page = await get(service, url, headers);
          assert.equal(page.status, 200, what);
          assert.equal(page.headers['content-type'], 'text/html; charset=utf-8', what);
          assert.equal(page.headers.vary, VARY, what);
          assert.match(String(page.headers.etag), /^"[^"]+"$/, what);
          assert.notEqual(page.headers.etag, feeds.get(url)!.headers.etag, what);
          assert.match(page.body.toString(), /^<!doctype html>/, what);
        }
      }
  });

  it('shows what the feed holds: title, description, the feed URL to copy, other formats, items, autodiscovery', async () => {
    const rss = (await get(service, '/rss.xml', NAVIGATIONS[0])).body.toString();
    const feed = feeds.get('/rss.xml')!.body.toString();
    const titles = [...feed.matchAll(/<item>\s*<title>([^<]*)<\/title>/g)].map(([, title]) => title!);
    assert.ok(titles.length > 0);
    for (const title of titles) assert.ok(rss.includes(`>${title}</a>`), title);
    const channelTitle = /<channel>\s*<title>([^<]*)</.exec(feed)![1]!;
    assert.ok(rss.includes(`<h1>${channelTitle}</h1>`));
    assert.ok(rss.includes(`<code class="feed-url">${service.config.baseUrl}/rss.xml</code>`));
    assert.ok(rss.includes(`<a href="${service.config.baseUrl}/atom.xml">Atom 1.0</a>`));
    assert.ok(rss.includes(`<a href="${service.config.baseUrl}/feed.json">JSON Feed 1.1</a>`));
    assert.match(
      rss,
      new RegExp(
        `<link rel="alternate" type="application/rss\\+xml" title="[^"]*" href="${service.config.baseUrl}/rss.xml">`,
      ),
    );
    assert.match(rss, /<time datetime="[^"]+">\d{1,2}\. \d{1,2}\. \d{4}\. \d{2}:\d{2} UTC<\/time>/);
    // A paged feed's preview shows that page, its own URL and the way to the others.
    const paged = (await get(service, '/rss.xml?limit=2&page=2', NAVIGATIONS[0])).body.toString();
    assert.ok(paged.includes(`<code class="feed-url">${service.config.baseUrl}/rss.xml?limit=2&amp;page=2</code>`));
    assert.ok(paged.includes(`rel="prev" href="${service.config.baseUrl}/rss.xml?limit=2"`));
    assert.equal(paged.match(/<li>/g)?.length, 2);
    // The Latin edition's, in Latin script and language.
    const latin = (await get(service, '/lat/feed.json', NAVIGATIONS[0])).body.toString();
    assert.match(latin, /<html lang="sr-Latn">/);
    assert.doesNotMatch(/<section class="hint">.*?<\/section>/s.exec(latin)![0], /\p{Script=Cyrillic}/u);
    assert.ok(latin.includes(`<code class="feed-url">${service.config.baseUrl}/lat/feed.json</code>`));
  });

  it('is valid HTML (html5lib, strict) for every feed', async () => {
    for (const url of FEEDS) {
      const page = await get(service, url, NAVIGATIONS[0]);
      await assertValidHtml(page.body.toString(), url);
    }
  });

  it('carries the security headers of every other page', async () => {
    const home = await get(service, '/');
    for (const url of FEEDS) {
      const page = await get(service, url, NAVIGATIONS[0]);
      for (const header of [
        'content-security-policy',
        'x-content-type-options',
        'x-frame-options',
        'referrer-policy',
        'cross-origin-opener-policy',
        'cross-origin-resource-policy',
      ])
        assert.equal(page.headers[header], home.headers[header], `${url} ${header}`);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/, url);
    }
  });

  it('answers a conditional request of each variant with 304, and never with the other variant’s ETag', async () => {
    for (const url of FEEDS)
      for (const coding of ['br', 'gzip', 'identity']) {
        const browser = { ...NAVIGATIONS[0], 'Accept-Encoding': coding };
        const reader = { Accept: FEEDPARSER_ACCEPT, 'Accept-Encoding': coding };
        const [page, feed] = [await get(service, url, browser), await get(service, url, reader)];
        const what = `${url} ${coding}`;
        assert.notEqual(page.headers.etag, feed.headers.etag, what);
        const pageAgain = await get(service, url, { ...browser, 'If-None-Match': String(page.headers.etag) });
        assert.equal(pageAgain.status, 304, what);
        assert.equal(pageAgain.headers.vary, VARY, what);
        assert.equal((await get(service, url, { ...reader, 'If-None-Match': String(feed.headers.etag) })).status, 304);
        // The other variant's validator does not match: the full response of this one.
        const crossed = await get(service, url, { ...reader, 'If-None-Match': String(page.headers.etag) });
        assert.equal(crossed.status, 200, what);
        assert.match(String(crossed.headers['content-type']), FEED_TYPE, what);
        const crossedPage = await get(service, url, { ...browser, 'If-None-Match': String(feed.headers.etag) });
        assert.equal(crossedPage.status, 200, what);
        assert.equal(crossedPage.headers['content-type'], 'text/html; charset=utf-8', what);
      }
  });

  it('sends the preview in the coding asked for, and HEAD without a body', async () => {
    const identity = (await get(service, '/atom.xml', NAVIGATIONS[0])).body;
    assert.match(identity.toString(), /^<!doctype html>/);
    const br = await get(service, '/atom.xml', { ...NAVIGATIONS[0], 'Accept-Encoding': 'br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-type'], 'text/html; charset=utf-8');
    assert.deepEqual(zlib.brotliDecompressSync(br.body), identity);
    const gzip = await get(service, '/atom.xml', { ...NAVIGATIONS[0], 'Accept-Encoding': 'gzip' });
    assert.deepEqual(zlib.gunzipSync(gzip.body), identity);
    const head = await rawRequest(service.app, '/atom.xml', { method: 'HEAD', headers: NAVIGATIONS[0] });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(identity.length));
    assert.equal(head.body.length, 0);
  });

  it('renders the preview once per feed version, from the cache afterwards, and again after a change', async () => {
    let feedPages = 0;
    const { store } = service;
    const feedPage = store.feedPage.bind(store);
    store.feedPage = (...args) => {
      feedPages += 1;
      return feedPage(...args);
    };
    try {
      const url = '/categories/rusija/atom.xml?limit=3';
      const first = await get(service, url, NAVIGATIONS[1]);
      assert.equal(first.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(feedPages, 1, 'the first preview is rendered');
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const again = await get(service, url, NAVIGATIONS[1]);
        assert.equal(again.headers.etag, first.headers.etag);
      }
      for (const url of ['/rss.xml', '/lat/rss.xml']) await get(service, url, NAVIGATIONS[0]);
      assert.equal(feedPages, 1, 'cached previews, default or paged, are lookups');
      service.write('nova-vest.txt', 'Русија\n\nНова вест о Русији\n\nУвод.\n\nПасус.\n');
      await service.pass('2026-11-26T08:00:00Z');
      const changed = await get(service, url, NAVIGATIONS[1]);
      assert.notEqual(changed.headers.etag, first.headers.etag);
      assert.ok(changed.body.toString().includes('Нова вест о Русији'));
    } finally {
      store.feedPage = feedPage;
    }
  });
});

describe('the preview of a feed with hostile text', () => {
  let service: TestService;
  const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)> & "quoted" 'single'`;
  before(async () => {
    service = await startTestService();
    service.write('hostile.txt', `Србија\n\n${HOSTILE}\n\n${HOSTILE} увод\n\nПасус.\n`);
    await service.pass('2026-11-25T08:00:00Z');
  });
  after(() => service.close());

  it('escapes every text: no markup from an article reaches the page', async () => {
    for (const url of ['/rss.xml', '/categories/srbija/feed.json']) {
      const page = (await get(service, url, NAVIGATIONS[0])).body.toString();
      assert.doesNotMatch(page, /<script|<img/i, url);
      assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp;'), url);
      await assertValidHtml(page, url);
    }
  });
});
