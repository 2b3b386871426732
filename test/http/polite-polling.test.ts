import assert from 'node:assert/strict';
import request from 'supertest';
import { PollSketch } from '../../src/http/polite-polling.js';
import { PollerStats, userAgentFamily } from '../../src/observability/pollers.js';
import { readWithAll } from '../support/third-party.js';
import { BASE_URL, startSampleService, type TestService } from '../support/service.js';

const FEEDLY = 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 3 subscribers; like FeedFetcher-Google)';

describe('polite polling: ttl, Link headers', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService({ CACHE_MAX_AGE: '600', WEBSUB_HUB: 'https://hub.example.test/' });
  });
  after(() => service.close());

  it('says in <ttl> how many minutes a reader may keep the RSS feed', async () => {
    const { parseRssFeed } = await import('feedsmith');
    const body = (await request(service.app).get('/rss.xml').expect(200)).text;
    assert.equal(parseRssFeed(body).ttl, 10);
    const readers = await readWithAll(body, 'rss');
    assert.ok(readers.length >= 3);
  });

  it('names the feed itself and its hub in a Link header, in every format', async () => {
    for (const path of ['/feed.json', '/lat/categories/rusija/atom.xml', '/rss.xml?limit=2&page=2']) {
      const { headers } = await request(service.app).get(path).expect(200);
      assert.equal(headers.link, `<${BASE_URL}${path}>; rel="self", <https://hub.example.test/>; rel="hub"`, path);
    }
  });
});

describe('polite polling: unconditional pollers over POLL_LIMIT get 429', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService({ POLL_LIMIT: '3', POLL_LIMIT_WINDOW: '3600' });
  });
  after(() => service.close());

  it('answers 429 with Retry-After past the limit, and never limits conditional polls, other clients or other feeds', async () => {
    const agent = request(service.app);
    for (let fetch = 0; fetch < 3; fetch += 1) await agent.get('/rss.xml').set('User-Agent', 'Greedy/1').expect(200);
    const limited = await agent.get('/rss.xml').set('User-Agent', 'Greedy/1').expect(429);
    assert.equal(limited.headers['retry-after'], '1200');
    // A paged view of the same feed is the same feed to a poller.
    await agent.get('/rss.xml?page=1&limit=5').set('User-Agent', 'Greedy/1').expect(429);
    const { headers } = await agent.get('/atom.xml').set('User-Agent', 'Greedy/1').expect(200);
    for (let poll = 0; poll < 10; poll += 1)
      await agent.get('/atom.xml').set('User-Agent', 'Greedy/1').set('If-None-Match', String(headers.etag)).expect(304);
    await agent.get('/rss.xml').set('User-Agent', 'Polite/2').expect(200);
    // Pages are not polled feeds.
    for (let fetch = 0; fetch < 5; fetch += 1) await agent.get('/').set('User-Agent', 'Greedy/1').expect(200);
    const metrics = (await agent.get('/metrics').expect(200)).text;
    assert.match(metrics, /feed_http_requests_total\{route="feed-site",format="rss",status="429"\} 2/);
  });
});

describe('polite polling: bounded memory', () => {
  it('keeps its counts in a fixed-size sketch: 200,000 clients cost no memory and barely count against a new one', () => {
    const sketch = new PollSketch(3_600_000);
    const now = Date.now();
    const before = process.memoryUsage().arrayBuffers;
    for (let client = 0; client < 200_000; client += 1) sketch.hit(`10.0.${client}\0Reader/1\0/rss.xml`, now);
    assert.ok(process.memoryUsage().arrayBuffers - before < 256 * 1024, 'no memory per client');
    const estimates = Array.from({ length: 1000 }, (_, client) =>
      sketch.hit(`192.0.${client}\0Reader/1\0/rss.xml`, now),
    );
    assert.ok(Math.max(...estimates) <= 2, 'a new client is overestimated by one fetch at most');
    const overestimated = estimates.filter((estimate) => estimate > 1).length;
    assert.ok(overestimated < 150, `${overestimated} of 1000 new clients were counted as having fetched before`);
  });

  it('weighs the previous window by its overlap, and forgets a client after two windows', () => {
    const sketch = new PollSketch(1000);
    for (let fetch = 0; fetch < 10; fetch += 1) sketch.hit('client', 5000);
    assert.equal(sketch.hit('client', 6500), 1 + 10 * 0.5);
    assert.equal(sketch.hit('client', 9000), 1);
  });

  it('tracks a bounded set of user-agent families', () => {
    const stats = new PollerStats();
    for (let reader = 0; reader < 5000; reader += 1) stats.record(`Reader${reader}/1.0`, false, 200);
    for (let poll = 0; poll < 100; poll += 1) stats.record(FEEDLY, true, 304);
    const top = stats.top();
    assert.ok(top.length <= 21, `${top.length} families shown`);
    assert.deepEqual(top[0], ['Feedly', { requests: 100, conditional: 100, notModified: 100 }]);
    assert.equal(
      top.reduce((sum, [, counts]) => sum + counts.requests, 0),
      5100,
    );
  });
});

describe('polite polling: who polls how, in /metrics', () => {
  it('names user-agent families', () => {
    assert.equal(userAgentFamily(FEEDLY), 'Feedly');
    assert.equal(
      userAgentFamily('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'),
      'Googlebot',
    );
    assert.equal(
      userAgentFamily(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
      ),
      'browser',
    );
    assert.equal(userAgentFamily('curl/8.5.0'), 'curl');
    assert.equal(userAgentFamily('NetNewsWire (RSS Reader; https://netnewswire.com/)'), 'NetNewsWire');
    assert.equal(userAgentFamily(undefined), 'none');
  });

  it('shows requests, conditional requests and 304s per family', async () => {
    const service = await startSampleService();
    try {
      const agent = request(service.app);
      const { headers } = await agent.get('/rss.xml').set('User-Agent', FEEDLY).expect(200);
      for (let poll = 0; poll < 3; poll += 1)
        await agent.get('/rss.xml').set('User-Agent', FEEDLY).set('If-None-Match', String(headers.etag)).expect(304);
      await agent.get('/feed.json').set('User-Agent', 'curl/8.5.0').expect(200);
      const metrics = (await agent.get('/metrics').expect(200)).text;
      assert.match(metrics, /feed_pollers_requests\{agent="Feedly"\} 4/);
      assert.match(metrics, /feed_pollers_conditional_requests\{agent="Feedly"\} 3/);
      assert.match(metrics, /feed_pollers_not_modified\{agent="Feedly"\} 3/);
      assert.match(metrics, /feed_pollers_requests\{agent="curl"\} 1/);
      assert.match(metrics, /feed_pollers_not_modified\{agent="curl"\} 0/);
    } finally {
      await service.close();
    }
  });
});
