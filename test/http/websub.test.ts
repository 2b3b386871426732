import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { assertValidFeed } from '../support/third-party.js';
import { BASE_URL, startSampleService, startTestService, type TestService } from '../support/service.js';

/** A stand-in hub on loopback: records every publish request (`attempts`) and the accepted ones (`pings`); the first `failFirst` answers are 503. */
async function startHub(failFirst = 0) {
  const attempts: Array<string | null> = [];
  const pings: Array<{ mode: string | null; url: string | null }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      attempts.push(form.get('hub.url'));
      if (attempts.length <= failFirst) return void res.writeHead(503).end();
      pings.push({ mode: form.get('hub.mode'), url: form.get('hub.url') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  const waitFor = async (count: number) => {
    for (let tries = 0; tries < 200 && pings.length < count; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 25));
  };
  return { url, attempts, pings, waitFor, close: () => new Promise((resolve) => server.close(resolve)) };
}

const feedUrls = (scopes: readonly string[]) =>
  ['', '/lat'].flatMap((prefix) =>
    scopes.flatMap((scope) =>
      ['rss.xml', 'atom.xml', 'feed.json'].map((file) => `${BASE_URL}${prefix}${scope}/${file}`),
    ),
  );

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
    assert.deepEqual(
      atom.links?.filter((link) => link.rel === 'hub').map((link) => link.href),
      [hub.url],
    );
    assert.ok(atom.links.some((link) => link.rel === 'self' && link.href === `${BASE_URL}/atom.xml`));
    const rssText = (await request(service.app).get('/rss.xml').expect(200)).text;
    assert.deepEqual(
      parseRssFeed(rssText)
        .atom?.links?.filter((link) => link.rel === 'hub')
        .map((link) => link.href),
      [hub.url],
    );
    const json = JSON.parse((await request(service.app).get('/feed.json').expect(200)).text);
    assert.deepEqual(json.hubs, [{ type: 'WebSub', url: hub.url }]);
    for (const [url, format] of [
      ['/atom.xml', 'atom'],
      ['/rss.xml', 'rss'],
      ['/feed.json', 'json'],
    ] as const)
      await assertValidFeed((await request(service.app).get(url).expect(200)).text, format);
  });

  it('pings publish for exactly the feeds a pass changed, in both scripts', async () => {
    hub.pings.length = 0;
    service.write('nova-sport.txt', 'Спорт\n\nНова спортска вест\n\nУвод\n\nПасус.\n');
    await service.pass('2026-11-25T09:00:00Z');
    const expected = feedUrls(['', '/categories/sport']);
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

  it('retries each refused ping, with backoff, without holding up the pass', async () => {
    const refused = 2;
    const flaky = await startHub(refused);
    const other = await startTestService({ env: { WEBSUB_HUB: flaky.url, WEBSUB_RETRY_MS: '20' } });
    try {
      other.write('a.txt', 'Спорт\n\nПрва вест\n\nУвод\n\nПасус.\n');
      other.write('b.txt', 'Свет\n\nДруга вест\n\nУвод\n\nПасус.\n');
      await other.pass('2026-11-25T08:00:00Z');
      const expected = feedUrls(['', '/categories/sport', '/categories/svet']);
      // A ping stops at its first success, so once every feed has one no attempt is still to come.
      await flaky.waitFor(expected.length);
      assert.deepEqual(
        flaky.pings.map((ping) => ping.url).sort(),
        [...expected].sort(),
        'every feed accepted exactly once',
      );
      const firstAttempts = [...new Set(flaky.attempts)];
      assert.deepEqual([...firstAttempts].sort(), [...expected].sort(), 'one first attempt per changed feed');
      assert.equal(flaky.attempts.length, expected.length + refused, 'one retry per refused ping, no more');
      const retried = flaky.attempts.slice(0, refused);
      for (const url of retried)
        assert.equal(flaky.attempts.filter((attempt) => attempt === url).length, 2, `${String(url)} retried once`);
    } finally {
      await other.close();
      await flaky.close();
    }
  });
});
