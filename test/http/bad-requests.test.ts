import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { rawRequest } from '../support/raw-http.js';
import { startSampleService, type TestService } from '../support/service.js';

/** Sends bytes over a raw socket and returns the status line: for requests no HTTP client would send. */
async function rawStatusLine(app: http.RequestListener, payload: string): Promise<string> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(payload));
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('end', () => resolve(received.split('\r\n')[0] ?? ''));
      socket.on('error', reject);
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const LEAKS = /at .*\(|node_modules|\/work\/|\/tmp\/|Error:/;

describe('bad requests', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    it(`answers ${method} on a feed with 405 and Allow: GET, HEAD`, async () => {
      for (const url of ['/rss.xml', '/categories/rusija/atom.xml', '/']) {
        const response = await rawRequest(service.app, url, { method });
        assert.equal(response.status, 405, url);
        assert.equal(response.headers.allow, 'GET, HEAD');
      }
    });
  }

  const cases: Array<[string, number]> = [
    ['/nema-ga', 404],
    ['/categories/%E0%A4%A/rss.xml', 400],
    ['/articles/%ZZ', 400],
    ['/categories/..%2f..%2fetc%2fpasswd/rss.xml', 404],
    ['/categories/..%2F..%2F/feed.json', 404],
    ['/articles/..%2f..%2fpackage.json', 404],
    ['/rss.xml?limit=%FF', 400],
    ['/rss.xml?page=99999999999999999999', 400],
    [`/rss.xml?x=${'a'.repeat(3000)}`, 414],
  ];
  for (const [url, status] of cases) {
    it(`answers ${url.slice(0, 60)} with ${status}, a short text and no internals`, async () => {
      const response = await rawRequest(service.app, url);
      assert.equal(response.status, status);
      assert.ok(response.body.length < 200, response.body.toString());
      assert.doesNotMatch(response.body.toString(), LEAKS);
    });
  }

  it('refuses oversized headers with 431 before they reach the app', async () => {
    const status = await rawStatusLine(
      service.app,
      `GET /rss.xml HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    assert.match(status, /^HTTP\/1\.1 431 /);
  });

  it('rejects a malformed request line with 400', async () => {
    assert.match(await rawStatusLine(service.app, 'NONSENSE\r\n\r\n'), /^HTTP\/1\.1 400 /);
  });

  it('keeps serving after all of that', async () => {
    await request(service.app).get('/rss.xml').expect(200);
  });
});
