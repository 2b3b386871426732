import assert from 'node:assert/strict';
import request from 'supertest';
import { startSampleService, type TestService } from '../support/service.js';

function metricValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)));
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
    const text = (await request(service.app).get('/metrics').expect(200).expect('Content-Type', /text\/plain/)).text;
    assert.equal(metricValue(text, 'feed_http_requests_total', { route: 'feed-site', format: 'rss', status: '200' }), 1);
    assert.equal(metricValue(text, 'feed_http_requests_total', { route: 'feed-site', format: 'rss', status: '304' }), 2);
    assert.equal(metricValue(text, 'feed_http_requests_total', { route: 'feed-category', format: 'json', status: '200' }), 1);
    assert.equal(metricValue(text, 'feed_http_requests_total', { route: 'other', format: 'none', status: '404' }), 1);
    assert.equal(metricValue(text, 'feed_http_response_bytes_total', { route: 'feed-site', format: 'rss' }), Number(first.headers['content-length']));
  });

  it('reports pass duration and counts, entries per category and rejected files', async () => {
    service.write('prazan.txt', '');
    await service.pass('2026-11-25T08:05:00Z');
    const text = (await request(service.app).get('/metrics').expect(200)).text;
    assert.ok((metricValue(text, 'feed_normalise_pass_seconds_count', { outcome: 'ok' }) ?? 0) >= 2);
    assert.equal(metricValue(text, 'feed_normalise_last_pass_files', { outcome: 'rejected' }), 1);
    assert.equal(metricValue(text, 'feed_normalise_last_pass_files', { outcome: 'unchanged' }), 15);
    const categories = await service.store.listCategories();
    for (const category of categories) assert.equal(metricValue(text, 'feed_entries', { category: category.slug }), category.count);
  });

  it('gives every request that reaches Express a request id, reusing a plain one sent by the client', async () => {
    const generated = await request(service.app).get('/status').expect(200);
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const echoed = await request(service.app).get('/status').set('X-Request-Id', 'poll-42').expect(200);
    assert.equal(echoed.headers['x-request-id'], 'poll-42');
    const forged = await request(service.app).get('/status').set('X-Request-Id', 'x\ny').expect(200).catch(() => undefined);
    if (forged) assert.notEqual(forged.headers['x-request-id'], 'x\ny');
  });
});
