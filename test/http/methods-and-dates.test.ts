import assert from 'node:assert/strict';
import { parseHttpDate } from '../../src/http/conditional-get.js';
import { rawRequest } from '../support/raw-http.js';
import { startSampleService, type TestService } from '../support/service.js';

describe('methods and If-Modified-Since dates', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  it('answers POST /metrics with 405 and Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await rawRequest(service.app, '/metrics', { method });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.allow, 'GET, HEAD');
    }
  });

  it('ignores an If-Modified-Since that is not an HTTP-date, or lies in the future (RFC 9110 §13.1.3)', async () => {
    const plain = await rawRequest(service.app, '/rss.xml');
    const lastModified = new Date(String(plain.headers['last-modified']));
    const future = new Date(Date.now() + 24 * 3600 * 1000);
    for (const since of [
      '2030',
      '2030-01-01',
      'tomorrow',
      `${lastModified.toUTCString()} junk`,
      'Mon, 31 Feb 2025 00:00:00 GMT',
      future.toUTCString(),
    ]) {
      const response = await rawRequest(service.app, '/rss.xml', { headers: { 'If-Modified-Since': since } });
      assert.equal(response.status, 200, since);
      assert.deepEqual(response.body, plain.body);
    }
  });

  it('still answers 304 to each of the three HTTP-date forms at or after Last-Modified', async () => {
    const plain = await rawRequest(service.app, '/rss.xml');
    const lastModified = new Date(String(plain.headers['last-modified']));
    const [weekday, day, month, year, time] = lastModified.toUTCString().replace(',', '').split(' ') as [
      string,
      string,
      string,
      string,
      string,
    ];
    const longWeekday = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format(lastModified);
    for (const since of [
      lastModified.toUTCString(),
      `${longWeekday}, ${day}-${month}-${year.slice(2)} ${time} GMT`,
      `${weekday} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`,
    ]) {
      const response = await rawRequest(service.app, '/rss.xml', { headers: { 'If-Modified-Since': since } });
      assert.equal(response.status, 304, since);
    }
  });

  it('reads RFC 850 two-digit years as at most 50 years ahead', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now), Date.UTC(1994, 10, 6, 8, 49, 37));
    assert.equal(parseHttpDate('Monday, 06-Nov-50 08:49:37 GMT', now), Date.UTC(2050, 10, 6, 8, 49, 37));
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994', now), Date.UTC(1994, 10, 6, 8, 49, 37));
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', now), Date.UTC(1994, 10, 6, 8, 49, 37));
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 UTC', now), undefined);
  });
});
