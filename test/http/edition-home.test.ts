import assert from 'node:assert/strict';
import { rawRequest } from '../support/raw-http.js';
import { startSampleService, type TestService } from '../support/service.js';

describe("one address for each edition's front page", () => {
  const services: TestService[] = [];
  after(() => Promise.all(services.map((service) => service.close())));

  for (const [baseUrl, prefix] of [
    ['http://feeds.example.test', ''],
    ['http://example.test/feeds', '/feeds'],
  ] as const)
    it(`answers ${prefix}/lat/ and redirects ${prefix}/lat there, keeping the query (BASE_URL ${baseUrl})`, async () => {
      const service = await startSampleService({ BASE_URL: baseUrl });
      services.push(service);
      assert.equal((await rawRequest(service.app, `${prefix}/lat/`)).status, 200);
      assert.equal((await rawRequest(service.app, `${prefix}/`)).status, 200);
      for (const [asked, canonical] of [
        [`${prefix}/lat`, `${prefix}/lat/`],
        [`${prefix}/lat?utm_source=x&a=1`, `${prefix}/lat/?utm_source=x&a=1`],
        ...(prefix ? [[prefix, `${prefix}/`] as const, [`${prefix}?a=1`, `${prefix}/?a=1`] as const] : []),
      ]) {
        for (const method of ['GET', 'HEAD']) {
          const answer = await rawRequest(service.app, asked, { method });
          assert.equal(answer.status, 301, `${method} ${asked}`);
          assert.equal(answer.headers.location, canonical, `${method} ${asked}`);
        }
      }
      // What the pages link to is the canonical form.
      assert.match((await rawRequest(service.app, `${prefix}/`)).body.toString(), new RegExp(`href="${baseUrl}/lat/"`));
    });
});
