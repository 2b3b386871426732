import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { eventually } from '../support/processes.js';
import { startTestService, type TestService } from '../support/service.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface Purge {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A stand-in purge endpoint on loopback: records every request; the first `failFirst` answers are 500. */
async function startPurgeEndpoint(failFirst = 0) {
  const requests: Purge[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(requests.length <= failFirst ? 500 : 200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/purge`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

const article = (category: string, title: string, tags: readonly string[] = []) =>
  `${tags.length > 0 ? `---\ntags: [${tags.join(', ')}]\n---\n` : ''}${category}\n\n${title}\n\nУвод\n\nПасус.\n`;

/** Every key purged so far, in any request shape. */
function purgedKeys(requests: readonly Purge[]): string[] {
  return requests.flatMap(({ body }) => (body.keys ?? body.tags ?? body.surrogate_keys ?? []) as string[]).sort();
}

describe('a CDN in front: cache keys on every feed and purges of exactly what a commit changed', () => {
  let endpoint: Awaited<ReturnType<typeof startPurgeEndpoint>>;
  let service: TestService;
  before(async () => {
    endpoint = await startPurgeEndpoint();
    service = await startTestService({
      env: {
        CDN_TAG_HEADER: 'Surrogate-Key',
        CDN_MAX_AGE: '86400',
        CDN_PURGE_URL: endpoint.url,
        CDN_PURGE_RETRY_MS: '20',
      },
    });
    service.write('sport.txt', article('Спорт', 'Утакмица', ['фудбал']));
    service.write('svet.txt', article('Свет', 'Вест из света', ['избори']));
    await service.pass('2026-11-25T08:00:00Z');
    assert.ok(await eventually(async () => Promise.resolve(endpoint.requests.length > 0), 5000));
  });
  after(async () => {
    await service.close();
    await endpoint.close();
  });

  it('labels each feed with its scope, edition and format, and gives the CDN its own longer lifetime', async () => {
    const site = await request(service.app).get('/rss.xml').expect(200);
    assert.equal(site.headers['surrogate-key'], 'site edition:cyrl format:rss');
    assert.equal(site.headers['cdn-cache-control'], 'max-age=86400');
    assert.match(String(site.headers['cache-control']), /^public, max-age=300\b/);
    const category = await request(service.app).get('/lat/categories/sport/atom.xml').expect(200);
    assert.equal(category.headers['surrogate-key'], 'category:sport edition:latn format:atom');
    const tag = await request(service.app).get('/tags/fudbal/feed.json').expect(200);
    assert.equal(tag.headers['surrogate-key'], 'tag:fudbal edition:cyrl format:json');
    // A revalidation the CDN makes keeps the keys it files the object under.
    const notModified = await request(service.app)
      .get('/tags/fudbal/feed.json')
      .set('If-None-Match', String(tag.headers.etag))
      .expect(304);
    assert.equal(notModified.headers['surrogate-key'], 'tag:fudbal edition:cyrl format:json');
  });

  it('after an edit purges exactly the site and the edited article’s category and tags, and nothing for an unchanged pass', async () => {
    endpoint.requests.length = 0;
    await service.pass('2026-11-25T09:00:00Z');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(endpoint.requests.length, 0, 'an unchanged pass purges nothing');

    service.write('sport.txt', article('Спорт', 'Утакмица, исправљено', ['фудбал', 'лига']));
    await service.pass('2026-11-25T10:00:00Z');
    assert.ok(await eventually(async () => Promise.resolve(endpoint.requests.length > 0), 5000));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(purgedKeys(endpoint.requests), ['category:sport', 'site', 'tag:fudbal', 'tag:liga']);
    assert.equal(endpoint.requests[0]?.headers['content-type'], 'application/json');
  });
});

describe('CDN purges: request shapes, retries, failures shown in /status and /metrics', () => {
  const styles: Array<[string, (purge: Purge) => void]> = [
    [
      'fastly',
      ({ headers, body }) => {
        assert.equal(headers['fastly-soft-purge'], '1');
        assert.equal(headers['fastly-key'], 'secret-token');
        assert.ok(Array.isArray(body.surrogate_keys));
      },
    ],
    [
      'cloudflare',
      ({ headers, body }) => {
        assert.equal(headers.authorization, 'Bearer secret-token');
        assert.ok(Array.isArray(body.tags));
      },
    ],
  ];
  for (const [style, check] of styles)
    it(`sends ${style}'s request shape`, async () => {
      const endpoint = await startPurgeEndpoint();
      const service = await startTestService({
        env: { CDN_PURGE_URL: endpoint.url, CDN_PURGE_STYLE: style, CDN_PURGE_TOKEN: 'secret-token' },
      });
      try {
        service.write('a.txt', article('Спорт', 'Прва'));
        await service.pass('2026-11-25T08:00:00Z');
        assert.ok(await eventually(async () => Promise.resolve(endpoint.requests.length > 0), 5000));
        const [purge] = endpoint.requests;
        assert.ok(purge);
        check(purge);
        assert.deepEqual(purgedKeys(endpoint.requests), ['category:sport', 'site']);
      } finally {
        await service.close();
        await endpoint.close();
      }
    });

  it('retries a failing endpoint with backoff, and reports failures and what was delivered', async () => {
    const endpoint = await startPurgeEndpoint(2);
    const service = await startTestService({ env: { CDN_PURGE_URL: endpoint.url, CDN_PURGE_RETRY_MS: '10' } });
    try {
      service.write('a.txt', article('Спорт', 'Прва'));
      await service.pass('2026-11-25T08:00:00Z');
      assert.ok(await eventually(async () => Promise.resolve(endpoint.requests.length === 3), 5000));
      const status = (await request(service.app).get('/status').expect(200)).body as {
        deliveries: { cdnPurge: { delivered: number; failedAttempts: number; lastFailure: { message: string } } };
      };
      assert.equal(status.deliveries.cdnPurge.delivered, 2);
      assert.equal(status.deliveries.cdnPurge.failedAttempts, 2);
      assert.match(status.deliveries.cdnPurge.lastFailure.message, /answered HTTP 500/);
      const metrics = (await request(service.app).get('/metrics').expect(200)).text;
      assert.match(metrics, /feed_push_items\{receiver="cdnPurge",state="failed_attempts"\} 2/);
      assert.match(metrics, /feed_push_items\{receiver="cdnPurge",state="delivered"\} 2/);
    } finally {
      await service.close();
      await endpoint.close();
    }
  });

  it('purges after a commit of the normalise CLI too', async () => {
    const endpoint = await startPurgeEndpoint();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-cdn-cli-'));
    try {
      fs.mkdirSync(path.join(root, 'articles'));
      fs.writeFileSync(path.join(root, 'articles', 'a.txt'), article('Култура', 'Изложба', ['сликарство']));
      await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/normalise.ts'], {
        cwd: REPO,
        env: {
          ...process.env,
          ARTICLES_DIR: path.join(root, 'articles'),
          DATABASE_URL: `sqlite:${path.join(root, 'feed.db')}`,
          CDN_PURGE_URL: endpoint.url,
          LOG_LEVEL: 'silent',
        },
      });
      // The CLI waited for the purge before it exited.
      assert.deepEqual(purgedKeys(endpoint.requests), ['category:kultura', 'site', 'tag:slikarstvo']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      await endpoint.close();
    }
  });
});
