import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SAMPLE_ARTICLES, startTestService, type TestService } from '../support/service.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = 'test-output/screenshots';
const SEED_TITLE = 'Белоусов у Казахстану: Односи Москве и Астане су основа стабилности у Централној Азији';

describe('pages and a styled feed in headless Chromium', function () {
  this.timeout(60_000);
  let service: TestService;
  let server: http.Server;
  let origin: string;
  let browser: Browser;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      // eslint-disable-next-line no-console
      console.log(`    (skipped: no browser; install it with: apt-get install -y chromium)`);
      this.skip();
    }
    // Links in pages and feeds are absolute, so BASE_URL must be where the browser finds the server.
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    service = await startTestService({ articles: SAMPLE_ARTICLES, env: { BASE_URL: origin } });
    server.on('request', service.app);
    await service.pass('2026-11-25T08:00:00Z');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await service?.close();
  });

  /** Opens a URL and returns the page with every console error and page error it raised. */
  async function open(path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    return { page, errors };
  }

  it('shows the index with autodiscovery links and every category', async () => {
    const { page, errors } = await open('/');
    const alternates = await page.locator('head link[rel="alternate"]').count();
    assert.ok(alternates >= 3 * 6, `${alternates} autodiscovery links`);
    assert.ok(await page.getByRole('link', { name: 'Русија' }).first().isVisible());
    assert.ok(await page.getByRole('link', { name: SEED_TITLE }).isVisible());
    await page.screenshot({ path: `${SCREENSHOTS}/index.png`, fullPage: true });
    assert.deepEqual(errors, []);
  });

  it('shows an article page', async () => {
    const { page, errors } = await open('/articles/belousov-u-kazahstanu-odnosi-moskve-i-astane-su-osnova-stabilnosti-u-centralnoj');
    assert.equal(await page.locator('h1').innerText(), SEED_TITLE);
    assert.ok(await page.getByText('Фото: www.globallookpress.com © Alexei Druzhinin/ZUMAPRESS.com').isVisible());
    await page.screenshot({ path: `${SCREENSHOTS}/article.png`, fullPage: true });
    assert.deepEqual(errors, []);
  });

  for (const path of ['/rss.xml', '/atom.xml']) {
    it(`styles ${path} as a readable page with the items and a subscribe hint`, async () => {
      const { page, errors } = await open(path);
      assert.ok(await page.getByText('Copy this URL into your feed reader').isVisible());
      assert.ok(await page.getByText(`${origin}${path}`).isVisible());
      assert.ok(await page.getByRole('link', { name: SEED_TITLE }).isVisible());
      assert.ok((await page.locator('li').count()) >= 15);
      await page.screenshot({ path: `${SCREENSHOTS}/${path.slice(1).replace('.', '-')}.png`, fullPage: true });
      // Chromium injects its own XSLT deprecation banner with an inline event handler, which the feed's CSP blocks.
      assert.deepEqual(errors.filter((error) => !error.startsWith('Executing inline event handler violates')), []);
    });
  }
});
