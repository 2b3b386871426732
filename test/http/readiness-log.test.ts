import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { startTestService, type TestService } from '../support/service.js';

describe('request logs of readiness', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  it('logs the start-up "not ready" 503 as a completed request, without an error or stack', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const app = createApp({ ...service, log: pino({ level: 'info' }, sink) });
    await request(app).get('/readyz').expect(503);
    const line = lines.find((logged) => logged.path === '/readyz');
    assert.ok(line, 'the request was logged');
    assert.equal(line.msg, 'request completed');
    assert.equal(line.err, undefined);
    assert.equal(line.status, 503);
  });
});
