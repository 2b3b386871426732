import assert from 'node:assert/strict';
import request from 'supertest';
import { rawSocketRequest } from '../support/raw-http.js';
import { startSampleService, startTestService, type TestService } from '../support/service.js';

function metricValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics and request logs', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  it('counts requests by route, format and status, 304s included, and the bytes sent', async () => {
    const first = await request(service.app).get('/rss.xml').expect(200);
    await request(service.app).get('/rss.xml').set('If-None-Match', String(first.headers.etag)).expect(304);
    await request(service.app).get('/rss.xml').set('If-None-Match', String(first.headers.etag)).expect(304);
    await request(service.app).get('/lat/categories/rusija/feed.json').expect(200);
    await request(service.app).get('/nema').expect(404);
    const text = (
      await request(service.app)
        .get('/metrics')
        .expect(200)
        .expect('Content-Type', /text\/plain/)
    ).text;
    assert.equal(
      metricValue(text, 'feed_http_requests_total', { route: 'feed-site', format: 'rss', status: '200' }),
      1,
    );
    assert.equal(
      metricValue(text, 'feed_http_requests_total', { route: 'feed-site', format: 'rss', status: '304' }),
      2,
    );
    assert.equal(
      metricValue(text, 'feed_http_requests_total', { route: 'feed-category', format: 'json', status: '200' }),
      1,
    );
    assert.equal(metricValue(text, 'feed_http_requests_total', { route: 'other', format: 'none', status: '404' }), 1);
    assert.equal(
      metricValue(text, 'feed_http_response_bytes_total', { route: 'feed-site', format: 'rss' }),
      Number(first.headers['content-length']),
    );
  });

  it('reports pass duration and counts, entries per category and rejected files', async () => {
    const own = await startTestService();
    try {
      own.write('a.txt', 'Спорт\n\nПрва вест\n\nУвод\n\nПасус.\n');
      own.write('b.txt', 'Спорт\n\nДруга вест\n\nУвод\n\nПасус.\n');
      own.write('c.txt', 'Свет\n\nТрећа вест\n\nУвод\n\nПасус.\n');
      await own.pass('2026-11-25T08:00:00Z');
      own.write('d.txt', 'Свет\n\nЧетврта вест\n\nУвод\n\nПасус.\n');
      own.write('prazan.txt', '');
      await own.pass('2026-11-25T08:05:00Z');
      const text = (await request(own.app).get('/metrics').expect(200)).text;
      assert.equal(metricValue(text, 'feed_normalise_pass_seconds_count', { outcome: 'ok' }), 2);
      const files = Object.fromEntries(
        ['scanned', 'new', 'unchanged', 'rejected'].map((outcome) => [
          outcome,
          metricValue(text, 'feed_normalise_last_pass_files', { outcome }),
        ]),
      );
      assert.deepEqual(files, { scanned: 5, new: 1, unchanged: 3, rejected: 1 });
      assert.equal(metricValue(text, 'feed_entries', { category: 'sport' }), 2);
      assert.equal(metricValue(text, 'feed_entries', { category: 'svet' }), 2);
    } finally {
      await own.close();
    }
  });

  it('gives every request that reaches Express a request id, reusing a plain one sent by the client', async () => {
    const generated = await request(service.app).get('/status').expect(200);
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const echoed = await rawSocketRequest(
      service.app,
      'GET /status HTTP/1.1\r\nHost: feeds.example.test\r\nX-Request-Id: poll-42',
    );
    assert.equal(echoed.status, 200);
    assert.equal(echoed.headers.get('x-request-id'), 'poll-42');
    // Values Node's parser lets through but that are no plain id: they must not reach the logs or the response.
    for (const forged of [
      'poll 42',
      '<script>alert(1)</script>',
      'x\ty',
      'a'.repeat(65),
      'vest-\u00e9',
      'x\r\nX-Request-Id: y',
    ]) {
      const answer = await rawSocketRequest(
        service.app,
        `GET /status HTTP/1.1\r\nHost: feeds.example.test\r\nX-Request-Id: ${forged}`,
      );
      assert.equal(answer.status, 200, `${JSON.stringify(forged)} reached the app`);
      assert.match(answer.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, JSON.stringify(forged));
    }
    // A line break inside the value never gets that far: Node refuses the request, and echoes nothing.
    for (const broken of ['x\ny', 'x\ry']) {
      const answer = await rawSocketRequest(
        service.app,
        `GET /status HTTP/1.1\r\nHost: feeds.example.test\r\nX-Request-Id: ${broken}`,
      );
      assert.equal(answer.status, 400, JSON.stringify(broken));
      assert.equal(answer.headers.get('x-request-id'), undefined, JSON.stringify(broken));
    }
  });
});
