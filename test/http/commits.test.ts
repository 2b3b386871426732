import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { rawRequest } from '../support/raw-http.js';
import { startTestService, type TestService } from '../support/service.js';
import { readWithFeedsmith } from '../support/third-party.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const article = (category: string, title: string, front = '') =>
  `${front}${category}\n\n${title}\n\nКратак увод у вест.\n\nПрви пасус текста.\n`;

/** One pass of the CLI, a separate process, against the service's own articles folder and database. */
async function normaliseInAnotherProcess(service: TestService): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/normalise.ts'], {
    cwd: REPO,
    env: {
      ...process.env,
      ARTICLES_DIR: service.articlesDir,
      DATABASE_URL: `sqlite:${service.databaseFile}`,
      BASE_URL: service.config.baseUrl,
      LOG_LEVEL: 'silent',
    },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** Polls `path` until `accept` holds, for at most `withinMs`; the last answer either way. */
async function pollUntil(
  service: TestService,
  path: string,
  accept: (text: string, status: number) => boolean,
  withinMs: number,
) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const response = await request(service.app).get(path);
    if (accept(response.text, response.status) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('every process sees every commit', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
    service.write('a.txt', article('Србија', 'Прва вест'));
    service.write('b.txt', article('Свет', 'Друга вест'));
    await service.pass('2026-11-25T08:00:00Z');
  });
  afterEach(() => service.close());

  it('serves, within 2 s, what another process (the CLI) committed to its database', async () => {
    // Render and cache everything a poller would hold before the other process commits.
    await request(service.app).get('/rss.xml').expect(200);
    await request(service.app).get('/categories/srbija/atom.xml').expect(200);
    await request(service.app).get('/categories/nauka/rss.xml').expect(404);
    await request(service.app).get('/').expect(200);

    service.write('c.txt', article('Наука', 'Трећа вест из друге руке'));
    service.write('d.txt', article('Србија', 'Четврта вест из друге руке'));
    const summary = await normaliseInAnotherProcess(service);
    assert.equal(summary.new, 2);

    const site = await pollUntil(service, '/rss.xml', (text) => text.includes('Трећа вест из друге руке'), 2000);
    assert.ok(site.text.includes('Четврта вест из друге руке'), 'the site feed shows both new articles');
    const items = (await readWithFeedsmith(site.text, 'rss')).items;
    assert.equal(items.length, 4);
    const category = await request(service.app).get('/categories/srbija/atom.xml').expect(200);
    assert.ok(category.text.includes('Четврта вест из друге руке'), 'a cached category feed moved on too');
    await request(service.app).get('/categories/nauka/rss.xml').expect(200);
    const index = await request(service.app).get('/').expect(200);
    assert.ok(index.text.includes('/categories/nauka/'), 'the index lists the new category');
  });

  it('refreshes the loaded term lists with just what a commit changed: counts, spellings, new and emptied terms', async () => {
    service.write('c.txt', article('Русија', 'Трећа вест', '---\ntags: [гас, избори]\n---\n'));
    await service.pass('2026-11-25T08:01:00Z');
    const listed = async (kind: 'category' | 'tag') =>
      (await service.cache.terms(kind)).map((term) => `${term.slug} ${term.spellings.join('/')} ${term.count}`);
    assert.deepEqual(await listed('category'), ['rusija Русија 1', 'srbija Србија 1', 'svet Свет 1']);
    assert.deepEqual(await listed('tag'), ['gas гас 1', 'izbori избори 1']);

    service.write(
      'd.txt',
      article('Srbija', 'Четврта вест', '---\ntags: [избори]\npublished: 2026-11-25T09:00:00Z\n---\n'),
    );
    fs.rmSync(path.join(service.articlesDir, 'b.txt'));
    service.write('e.txt', article('Наука', 'Пета вест'));
    fs.rmSync(path.join(service.articlesDir, 'c.txt'));
    await service.pass('2026-11-25T08:02:00Z');
    await service.commits.check();
    assert.deepEqual(
      await listed('category'),
      // Both spellings, the newest first; an emptied term is gone; a new one is there.
      ['nauka Наука 1', 'srbija Srbija/Србија 2'],
    );
    assert.deepEqual(await listed('tag'), ['izbori избори 1']);
  });

  it('moves Last-Modified forward when an older entry is retracted, so If-Modified-Since alone gets the change', async () => {
    service.write('z.txt', article('Свет', 'Најновија вест', '---\npublished: 2026-11-25T09:00:00Z\n---\n'));
    await service.pass('2026-11-25T09:00:00Z');
    const before = await rawRequest(service.app, '/rss.xml');
    const lastModified = String(before.headers['last-modified']);
    assert.equal(
      (await rawRequest(service.app, '/rss.xml', { headers: { 'If-Modified-Since': lastModified } })).status,
      304,
    );

    // The retracted entry is not the newest: a Last-Modified taken from entries would stay where it was.
    fs.rmSync(path.join(service.articlesDir, 'b.txt'));
    await service.pass('2026-11-25T09:05:00Z');
    const after = await rawRequest(service.app, '/rss.xml');
    assert.notEqual(after.headers.etag, before.headers.etag);
    assert.ok(
      Date.parse(String(after.headers['last-modified'])) > Date.parse(lastModified),
      'Last-Modified moved forward',
    );
    const conditional = await rawRequest(service.app, '/rss.xml', { headers: { 'If-Modified-Since': lastModified } });
    assert.equal(conditional.status, 200);
    assert.deepEqual(conditional.body, after.body);
  });

  it('keeps the rendered-feed cache under FEED_CACHE_MAX_BYTES through thousands of distinct pages, and the polled page in it', async () => {
    const small = await startTestService({ env: { FEED_CACHE_MAX_BYTES: String(1024 * 1024) } });
    const server = http.createServer(small.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (let index = 0; index < 40; index += 1)
        small.write(
          `n${index}.txt`,
          article(index % 2 ? 'Србија' : 'Свет', `Вест број ${index} ${'са дужим насловом '.repeat(4)}`),
        );
      await small.pass('2026-11-25T08:00:00Z');
      assert.equal((await fetch(`${origin}/rss.xml`)).status, 200);
      const polled = small.cache.readyFeed('/rss.xml');
      assert.ok(polled);
      let requests = 0;
      for (const edition of ['', '/lat'])
        for (const format of ['rss.xml', 'atom.xml', 'feed.json'])
          for (let limit = 1; limit <= 40; limit += 1)
            for (let page = 1; page <= Math.ceil(40 / limit); page += 1) {
              const response = await fetch(`${origin}${edition}/${format}?limit=${limit}&page=${page}`);
              assert.equal(response.status, 200);
              await response.arrayBuffer();
              requests += 1;
              if (requests % 25 === 0) {
                assert.ok(small.rendered.bytes <= small.rendered.maxBytes, `${small.rendered.bytes} bytes held`);
                // A poller of the default page keeps it: it is never what gets evicted.
                assert.equal((await fetch(`${origin}/rss.xml`)).status, 200);
                assert.equal(small.cache.readyFeed('/rss.xml'), polled);
              }
            }
      assert.ok(small.rendered.size < requests / 2, 'pages were evicted to stay under the bound');
      assert.ok(small.rendered.bytes <= small.rendered.maxBytes);
    } finally {
      server.closeAllConnections();
      server.close();
      await small.close();
    }
  });
});
