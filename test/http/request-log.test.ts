import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createRequestListener } from '../../src/http/app.js';
import { createLogger } from '../../src/observability/log.js';
import { rawRequest } from '../support/raw-http.js';
import { startSampleService, type TestService } from '../support/service.js';

/** The real logger writing into memory: every line it would have put on stdout. */
function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger('info', destination), lines };
}

describe('request logs', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  it('log one compact line per request, never Cookie, Authorization or other headers', async () => {
    const { log, lines } = capturedLogger();
    const app = createRequestListener({ ...service, log });
    const secrets = {
      cookie: 'session=cookie-secret-1',
      authorization: 'Bearer token-secret-2',
      proxy: 'Basic proxy-secret-3',
    };
    const response = await rawRequest(app, '/status?token=query-secret-4', {
      headers: {
        Cookie: secrets.cookie,
        Authorization: secrets.authorization,
        'Proxy-Authorization': secrets.proxy,
        'User-Agent': `curl/8 ${'x'.repeat(5000)}`,
        'X-Request-Id': 'flood-1',
        'X-Filler': 'y'.repeat(4000),
      },
    });
    assert.equal(response.status, 200);
    const output = lines.join('\n');
    for (const secret of [...Object.values(secrets), 'query-secret-4', 'yyyy'])
      assert.ok(!output.includes(secret), `${secret} was logged`);
    const requestLines = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.reqId === 'flood-1');
    assert.equal(requestLines.length, 1);
    const line = requestLines[0]!;
    assert.equal(line.method, 'GET');
    assert.equal(line.path, '/status');
    assert.equal(line.status, 200);
    assert.equal(line.bytes, Number(response.headers['content-length']));
    assert.equal(typeof line.durationMs, 'number');
    assert.match(String(line.userAgent), /^curl\/8 x+$/);
    assert.ok(JSON.stringify(line).length < 600, `a ${JSON.stringify(line).length}-character line`);
    assert.equal(line.req, undefined);
    assert.equal(line.res, undefined);
  });

  it('redacts credentials from any request or response object logged elsewhere', () => {
    const { log, lines } = capturedLogger();
    log.info(
      {
        req: { headers: { cookie: 'c-secret', authorization: 'a-secret' } },
        res: { headers: { 'set-cookie': 's-secret' } },
      },
      'x',
    );
    assert.ok(!lines.join('\n').match(/c-secret|a-secret|s-secret/), lines.join('\n'));
  });
});
