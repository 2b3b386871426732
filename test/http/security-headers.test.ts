import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { rawRequest } from '../support/raw-http.js';
import { startSampleService, type TestService } from '../support/service.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function assertLockedDown(headers: IncomingHttpHeaders, what: string) {
  assert.equal(headers['x-content-type-options'], 'nosniff', what);
  const csp = String(headers['content-security-policy'] ?? '');
  assert.match(csp, /default-src '(?:none|self)'/, what);
  assert.match(csp, /object-src 'none'/, what);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, what);
}

describe('security headers where they belong', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  it('sends CSP and nosniff with the HTML preview a browser gets of RSS, Atom and JSON Feed', async () => {
    // The first request renders through Express, the second is served by the fast path: both must carry them.
    for (const url of [
      '/rss.xml',
      '/atom.xml',
      '/feed.json',
      '/rss.xml',
      '/atom.xml',
      '/feed.json',
      '/categories/rusija/rss.xml?limit=2',
      '/lat/atom.xml',
    ]) {
      const page = await rawRequest(service.app, url, {
        headers: { Accept: BROWSER_ACCEPT, 'Accept-Encoding': 'gzip' },
      });
      assert.equal(page.status, 200, url);
      assert.match(String(page.headers['content-type']), /^text\/html/, url);
      assertLockedDown(page.headers, url);
    }
  });

  it('sends neither HSTS nor upgrade-insecure-requests when BASE_URL is http', async () => {
    for (const url of ['/', '/categories/rusija', '/lat/']) {
      const page = await rawRequest(service.app, url);
      assert.equal(page.status, 200, url);
      assert.equal(page.headers['strict-transport-security'], undefined, url);
      assert.doesNotMatch(String(page.headers['content-security-policy']), /upgrade-insecure-requests/, url);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/, url);
    }
  });

  it('sends both on pages when BASE_URL is https', async () => {
    const secure = await startSampleService({ BASE_URL: 'https://feeds.example.test' });
    try {
      const page = await rawRequest(secure.app, '/');
      assert.match(String(page.headers['strict-transport-security']), /max-age=\d+/);
      assert.match(String(page.headers['content-security-policy']), /upgrade-insecure-requests/);
    } finally {
      await secure.close();
    }
  });
});
