import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { assertValidFeed } from '../support/third-party.js';
import { BASE_URL, SAMPLE_ARTICLES, startSampleService, startTestService, type TestService } from '../support/service.js';

/** A stand-in hub on loopback: records publish pings; the first `failFirst` answers are 503. */
async function startHub(failFirst = 0) {
  const pings: Array<{ mode: string | null; url: string | null }> = [];
  let answered = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      answered += 1;
      if (answered <= failFirst) return void res.writeHead(503).end();
      const form = new URLSearchParams(body);
      pings.push({ mode: form.get('hub.mode'), url: form.get('hub.url') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  const waitFor = async (count: number) => {
    for (let tries = 0; tries < 200 && pings.length < count; tries += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  };
  return { url, pings, waitFor, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('WebSub', () => {
  let hub: Awaited<ReturnType<typeof startHub>>;
  let service: TestService;
  before(async () => {
    hub = await startHub();
    service = await startSampleService({ WEBSUB_HUB: hub.url, WEBSUB_RETRY_MS: '20' });
    await hub.waitFor(1);
  });
  after(async () => {
    await service.close();
    await hub.close();
  });

  it('advertises the hub and self in every format, and the feeds stay valid', async () => {
    const { parseAtomFeed, parseRssFeed } = await import('feedsmith');
    const atom = parseAtomFeed((await request(service.app).get('/atom.xml').expect(200)).text);
    assert.deepEqual(atom.links?.filter((link) => link.rel === 'hub').map((link) => link.href), [hub.url]);
    assert.ok(atom.links.some((link) => link.rel === 'self' && link.href === `${BASE_URL}/atom.xml`));
    const rssText = (await request(service.app).get('/rss.xml').expect(200)).text;
    assert.deepEqual(parseRssFeed(rssText).atom?.links?.filter((link) => link.rel === 'hub').map((link) => link.href), [hub.url]);
    const json = JSON.parse((await request(service.app).get('/feed.json').expect(200)).text);
    assert.deepEqual(json.hubs, [{ type: 'WebSub', url: hub.url }]);
    for (const [url, format] of [['/atom.xml', 'atom'], ['/rss.xml', 'rss'], ['/feed.json', 'json']] as const)
      await assertValidFeed((await request(service.app).get(url).expect(200)).text, format);
  });

  it('pings publish for exactly the feeds a pass changed, in both scripts', async () => {
    hub.pings.length = 0;
    service.write('nova-sport.txt', 'Спорт\n\nНова спортска вест\n\nУвод\n\nПасус.\n');
    await service.pass('2026-11-25T09:00:00Z');
    const expected = ['', '/lat'].flatMap((prefix) =>
      ['', '/categories/sport'].flatMap((scope) => ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `${BASE_URL}${prefix}${scope}/${file}`)),
    );
    await hub.waitFor(expected.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(hub.pings.map((ping) => ping.url).sort(), expected.sort());
    assert.ok(hub.pings.every((ping) => ping.mode === 'publish'));
  });

  it('pings nothing after a pass that changed nothing', async () => {
    hub.pings.length = 0;
    await service.pass('2026-11-25T09:05:00Z');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(hub.pings, []);
  });

  it('retries a hub that fails, with backoff, without holding up the pass', async () => {
    const flaky = await startHub(2);
    const other = await startTestService({ articles: SAMPLE_ARTICLES, env: { WEBSUB_HUB: flaky.url, WEBSUB_RETRY_MS: '20' } });
    try {
      await other.pass('2026-11-25T08:00:00Z');
      await flaky.waitFor(12);
      assert.ok(flaky.pings.length >= 12, `only ${flaky.pings.length} pings arrived`);
    } finally {
      await other.close();
      await flaky.close();
    }
  });
});
