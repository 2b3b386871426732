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
  // Left undefined when there is no Chromium: before() skips, after() still runs.
  let service: TestService | undefined;
  let server: http.Server | undefined;
  let origin: string;
  let browser: Browser | undefined;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      // eslint-disable-next-line no-console -- mocha's skip gives no reason: say how to get the browser.
      console.log(`    (skipped: no browser; install it with: apt-get install -y chromium)`);
      this.skip();
    }
    // Links in pages and feeds are absolute, so BASE_URL must be where the browser finds the server.
    const listener = http.createServer();
    server = listener;
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    service = await startTestService({ articles: SAMPLE_ARTICLES, env: { BASE_URL: origin } });
    server.on('request', service.app);
    await service.pass('2026-11-25T08:00:00Z');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
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
    assert.ok(browser, 'Chromium was not launched');
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
    // The site and every category in this script, and the other script's site feed, in three formats each.
    const categories = await service!.store.listCategories();
    assert.equal(alternates, 3 * (1 + categories.length) + 3);
    assert.ok(await page.getByRole('link', { name: 'Русија' }).first().isVisible());
    assert.ok(await page.getByRole('link', { name: SEED_TITLE }).isVisible());
    await page.screenshot({ path: `${SCREENSHOTS}/index.png`, fullPage: true });
    assert.deepEqual(errors, []);
  });

  it('shows an article page', async () => {
    const { page, errors } = await open(
      '/articles/belousov-u-kazahstanu-odnosi-moskve-i-astane-su-osnova-stabilnosti-u-centralnoj',
    );
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
      const shown = Math.min(await service!.store.countEntries({}), service!.config.feedLimit);
      assert.ok(shown > 0);
      assert.equal(await page.locator('li').count(), shown);
      await page.screenshot({ path: `${SCREENSHOTS}/${path.slice(1).replace('.', '-')}.png`, fullPage: true });
      // Chromium injects its own XSLT deprecation banner with an inline event handler, which the feed's CSP blocks.
      assert.deepEqual(
        errors.filter((error) => !error.startsWith('Executing inline event handler violates')),
        [],
      );
    });

    it(`puts the subscribe hint of ${path} below the title, and both where Chromium's XSLT banner does not cover them`, async () => {
      const { page } = await open(path);
      const hint = page.locator('.hint');
      const [hintBox, titleBox] = [await hint.boundingBox(), await page.locator('h1').boundingBox()];
      assert.ok(hintBox && titleBox && hintBox.y >= titleBox.y + titleBox.height, 'below the title block');
      // Whatever is drawn over the top of the page, the element's own text is what the reader sees at its place.
      for (const element of [hint, page.locator('h1')]) {
        const uncovered = await element.evaluate((shown) => {
          const box = shown.getBoundingClientRect();
          const points = [
            [box.left + 4, box.top + 4],
            [box.left + box.width / 2, box.top + box.height / 2],
            [box.right - 4, box.bottom - 4],
          ];
          return points.every(([x, y]) => shown.contains(document.elementFromPoint(x as number, y as number)));
        });
        assert.ok(
          uncovered,
          `nothing covers the ${await element.evaluate((shown) => shown.getAttribute('class') || shown.tagName)}`,
        );
      }
    });
  }

  it('shows the dates of RSS (RFC 822) and Atom (RFC 3339) items in one readable form', async () => {
    const datesByLink = async (path: string) => {
      const { page } = await open(path);
      return new Map(
        await page
          .locator('li')
          .evaluateAll((items) =>
            items.map((item) => [item.querySelector('a')?.href, item.querySelector('time')?.textContent]),
          ),
      );
    };
    const [rss, atom] = [await datesByLink('/rss.xml'), await datesByLink('/atom.xml')];
    assert.ok(rss.size > 0);
    assert.deepEqual([...rss].sort(), [...atom].sort());
    for (const date of rss.values()) assert.match(date ?? '', /^\d{1,2}\. \d{1,2}\. \d{4}\. \d{2}:\d{2} UTC$/);
  });

  it('words the hint of a Latin feed in Latin script', async () => {
    const { page } = await open('/lat/atom.xml');
    assert.doesNotMatch(await page.locator('.hint').innerText(), /\p{Script=Cyrillic}/u);
  });
});
