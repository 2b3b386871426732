import assert from 'node:assert/strict';
import escapeHtml from 'escape-html';
import request from 'supertest';
import { BASE_URL, startSampleService, type TestService } from '../support/service.js';

const alternates = (html: string) =>
  [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)">/g)].map((match) => [
    match[1],
    match[2],
  ]);

describe('HTML pages and service routes', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  it('index lists the site feeds and every category feed, with autodiscovery links in the head', async () => {
    const response = await request(service.app)
      .get('/')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    const head = response.text.slice(0, response.text.indexOf('</head>'));
    const links = alternates(head);
    assert.deepEqual(links.slice(0, 3), [
      ['application/rss+xml', `${BASE_URL}/rss.xml`],
      ['application/atom+xml', `${BASE_URL}/atom.xml`],
      ['application/feed+json', `${BASE_URL}/feed.json`],
    ]);
    const categories = await service.store.listCategories();
    for (const category of categories) {
      assert.ok(
        links.some(([, href]) => href === `${BASE_URL}/categories/${category.slug}/atom.xml`),
        category.slug,
      );
      assert.ok(response.text.includes(`href="${BASE_URL}/categories/${category.slug}/rss.xml"`), category.slug);
    }
    assert.deepEqual(links.slice(-3), [
      ['application/rss+xml', `${BASE_URL}/lat/rss.xml`],
      ['application/atom+xml', `${BASE_URL}/lat/atom.xml`],
      ['application/feed+json', `${BASE_URL}/lat/feed.json`],
    ]);
    assert.equal(links.length, 3 * (1 + categories.length) + 3);
  });

  it('serves every feed item link as a readable article page', async () => {
    const [entry] = await service.store.listEntries({}, 1, 0);
    assert.ok(entry, 'no entry published');
    const page = await request(service.app)
      .get(`/articles/${entry.slug}`)
      .expect(200)
      .expect('Content-Type', /text\/html/);
    assert.ok(page.text.includes(`<h1>${entry.title}</h1>`));
    assert.ok(page.text.includes('<html lang="sr">'));
    for (const paragraph of entry.paragraphs) assert.ok(page.text.includes(`<p>${escapeHtml(paragraph)}</p>`));
  });

  it('serves a page per category and 404s for unknown ones', async () => {
    const page = await request(service.app).get('/categories/rusija').expect(200);
    assert.ok(page.text.includes('<h1>Русија</h1>'));
    await request(service.app).get('/categories/nema').expect(404);
    await request(service.app).get('/articles/nema-takve-vesti').expect(404);
  });

  it('sends security headers on HTML pages: a CSP without inline script, nosniff and a referrer policy', async () => {
    const page = await request(service.app).get('/').expect(200);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.ok(!csp.includes("'unsafe-inline' ") && !/script-src[^;]*unsafe-inline/.test(csp));
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.ok(page.headers['referrer-policy']);
    assert.ok(!page.text.includes('<script'));
  });

  it('answers /healthz and reports the last pass on /status', async () => {
    const health = await request(service.app).get('/healthz').expect(200);
    assert.deepEqual(health.body, { status: 'ok', problems: [] });
    const status = await request(service.app).get('/status').expect(200);
    assert.equal(status.body.lastPass.startedAt, '2026-11-25T08:00:00Z');
    assert.equal(status.body.lastPass.scanned, status.body.entries);
    for (const key of ['scanned', 'new', 'updated', 'unchanged', 'retracted', 'rejected'])
      assert.equal(typeof status.body.lastPass[key], 'number', key);
    assert.deepEqual(status.body.lastPass.rejectedFiles, []);
  });

  it('answers unknown paths with a short 404 and no stack trace', async () => {
    const response = await request(service.app).get('/nema/ovde').expect(404);
    assert.equal(response.text, 'Not found\n');
  });
});
