import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startTestService, type TestService } from '../support/service.js';

const article = (category: string, title: string, tags: string[] = []) =>
  `${tags.length ? `---\ntags: [${tags.join(', ')}]\n---\n` : ''}${category}\n\n${title}\n\nКратак увод у вест.\n\nПрви пасус текста.\n`;

describe('pages, OPML and /status under load from many clients', () => {
  describe('pages rendered once per change', () => {
    let service: TestService;
    beforeEach(async () => {
      service = await startTestService();
      service.write('a.txt', article('Србија', 'Прва вест', ['метро']));
      await service.pass('2026-11-25T08:00:00Z');
    });
    afterEach(() => service.close());

    for (const path of ['/', '/lat/', '/categories/', '/tags/metro', '/opml.xml', '/articles/prva-vest'])
      it(`keeps ${path} in the bounded cache between changes, with validators, and renders it again after one`, async () => {
        const empty = service.rendered.size;
        const first = await request(service.app).get(path).expect(200);
        const held = service.rendered.size;
        assert.equal(held, empty + 1, 'the page was rendered into the cache');
        const again = await request(service.app).get(path).expect(200);
        assert.equal(service.rendered.size, held, 'the second request was a lookup');
        assert.equal(again.headers.etag, first.headers.etag);
        await request(service.app).get(path).set('If-None-Match', String(first.headers.etag)).expect(304);
        // A new category and tagged article, and an edited one: every one of these pages shows something new.
        service.write('b.txt', article('Наука', 'Друга вест', ['метро']));
        service.write('a.txt', article('Србија', 'Прва вест', ['метро']).replace('Први пасус', 'Измењени први пасус'));
        await service.pass('2026-11-25T08:05:00Z');
        const changed = await request(service.app).get(path).expect(200);
        assert.notEqual(changed.headers.etag, first.headers.etag, 'a commit moves the page on');
      });
  });

  it('keeps the cache under FEED_CACHE_MAX_BYTES through thousands of distinct page requests', async () => {
    const service = await startTestService({ env: { FEED_CACHE_MAX_BYTES: String(1024 * 1024) } });
    const server = http.createServer(service.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const tags = Array.from({ length: 40 }, (_, index) => `ознака ${index}`);
      for (let index = 0; index < 30; index += 1)
        service.write(
          `n${index}.txt`,
          article(index % 2 ? 'Србија' : 'Свет', `Вест број ${index}`, tags.slice(index, index + 10)),
        );
      await service.pass('2026-11-25T08:00:00Z');
      let requests = 0;
      for (const edition of ['', '/lat'])
        for (const list of ['tags', 'categories'])
          for (let limit = 1; limit <= 200; limit += 1) {
            const response = await fetch(`${origin}${edition}/${list}/?limit=${limit}`);
            assert.equal(response.status, 200);
            await response.arrayBuffer();
            requests += 1;
            assert.ok(service.rendered.bytes <= service.rendered.maxBytes, `${service.rendered.bytes} bytes held`);
          }
      assert.ok(service.rendered.size < requests, 'pages were evicted to stay under the bound');
    } finally {
      server.closeAllConnections();
      server.close();
      await service.close();
    }
  });

  it('lists the first 100 rejected files in /status and every one, paged, at /status/rejected', async () => {
    const service = await startTestService();
    try {
      service.write('good.txt', article('Србија', 'Добра вест'));
      for (let index = 0; index < 150; index += 1) service.write(`bad-${String(index).padStart(3, '0')}.txt`, '');
      await service.pass('2026-11-25T08:00:00Z');
      const status = (await request(service.app).get('/status').expect(200)).body as {
        lastPass: { rejected: number; rejectedFiles: unknown[] };
        rejectedFiles: string;
      };
      assert.equal(status.lastPass.rejected, 150);
      assert.equal(status.lastPass.rejectedFiles.length, 100);
      assert.equal(status.rejectedFiles, '/status/rejected');
      const first = (await request(service.app).get('/status/rejected').expect(200)).body as {
        total: number;
        files: Array<{ path: string; reason: string }>;
        next: string;
      };
      assert.equal(first.total, 150);
      assert.equal(first.files.length, 100);
      assert.equal(first.files[0]?.path, 'bad-000.txt');
      assert.ok(first.files[0].reason);
      const second = (await request(service.app).get(first.next).expect(200)).body as {
        files: unknown[];
        next: string | null;
      };
      assert.equal(second.files.length, 50);
      assert.equal(second.next, null);
      await request(service.app).get('/status/rejected?page=3').expect(404);
      await request(service.app).get('/status/rejected?limit=0').expect(400);
    } finally {
      await service.close();
    }
  });
});
