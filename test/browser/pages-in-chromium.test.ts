import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SAMPLE_ARTICLES, startTestService, type TestService } from '../support/service.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = 'test-output/screenshots';
const SEED_TITLE = 'Белоусов у Казахстану: Односи Москве и Астане су основа стабилности у Централној Азији';

/** The text an XML text node stands for. */
const xmlText = (escaped: string) =>
  escaped.replace(/&(lt|gt|quot|apos|amp);/g, (_all, name: string) => XML_ENTITIES[name] ?? '');
const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/** How many different byte values a PNG's pixel rows hold: 1–2 for a blank page, many for a rendered one. */
function distinctPixelBytes(png: Buffer): number {
  const chunks: Buffer[] = [];
  // After the 8-byte signature: length, type, data, CRC per chunk; the image is the IDAT chunks, deflated.
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return new Set(zlib.inflateSync(Buffer.concat(chunks))).size;
}

describe('pages and feed previews in headless Chromium', function () {
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

  /**
   * Opens a URL and returns the page with every console error and page error it raised, every console message
   * of any level, and the response's Content-Type and body as the browser got them.
   */
  async function open(
    path: string,
  ): Promise<{ page: Page; errors: string[]; messages: string[]; type: string; body: string }> {
    assert.ok(browser, 'Chromium was not launched');
    const page = await browser.newPage();
    const errors: string[] = [];
    const messages: string[] = [];
    page.on('console', (message) => {
      messages.push(message.text());
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    return {
      page,
      errors,
      messages,
      type: (await response.allHeaders())['content-type'] ?? '',
      body: await response.text(),
    };
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

  for (const path of ['/rss.xml', '/atom.xml', '/categories/rusija/rss.xml', '/feed.json']) {
    it(`shows ${path} as a server-rendered HTML page with the items and a subscribe hint, and no XSLT`, async () => {
      const { page, errors, messages, type, body } = await open(path);
      // What the browser was sent and made of it: HTML, not XML run through a stylesheet.
      assert.equal(type, 'text/html; charset=utf-8');
      assert.equal(await page.evaluate(() => document.contentType), 'text/html');
      assert.doesNotMatch(body, /xml-stylesheet|<\?xml/);
      assert.equal(await page.locator('xslt-warning-banner').count(), 0, 'Chromium added its XSLT banner');
      assert.deepEqual(
        messages.filter((message) => /XSLT/i.test(message)),
        [],
      );
      assert.doesNotMatch(await page.locator('body').innerText(), /XSLT/i);
      assert.ok(await page.getByText('Copy this URL into your feed reader').isVisible());
      assert.ok(await page.getByText(`${origin}${path}`, { exact: true }).isVisible());
      assert.ok(await page.getByRole('link', { name: SEED_TITLE }).isVisible());
      const feed = await fetch(`${origin}${path}`);
      const titles = path.endsWith('.json')
        ? ((await feed.json()) as { items: Array<{ title: string }> }).items.map((item) => item.title)
        : [...(await feed.text()).matchAll(/<(?:item|entry)>[\s\S]*?<title[^>]*>([^<]*)<\/title>/g)].map(([, title]) =>
            xmlText(title!),
          );
      assert.ok(titles.length > 0);
      assert.deepEqual(await page.locator('li > a').allInnerTexts(), titles);
      assert.equal(
        await page.locator('head link[rel="alternate"]').first().getAttribute('href'),
        `${origin}${path}`,
        'autodiscovery names this feed first',
      );
      const screenshot = await page.screenshot({
        path: `${SCREENSHOTS}/${path.slice(1).replace(/[/.]/g, '-')}.png`,
        fullPage: true,
      });
      assert.ok(distinctPixelBytes(screenshot) > 16, 'the screenshot shows a rendered page, not a blank one');
      assert.deepEqual(errors, []);
    });

    it(`puts the subscribe hint of ${path} below the title, with nothing drawn over either`, async () => {
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
