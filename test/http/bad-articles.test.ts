import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import request from 'supertest';
import type { PassSummary } from '../../src/store/store.js';
import { assertValidFeed, readWithAll } from '../support/third-party.js';
import { startTestService, writeArticles, type TestService } from '../support/service.js';

const GOOD = 'Србија\n\nДобра вест\n\nУвод\n\nПасус.\n';
const cyrillicArticle = (title: string) => `Србија\n\n${title}\n\nУвод у вест\n\nПрви пасус вести.\n`;

// Each file and what must become of it: published (with its title) or rejected (with a reason matching).
type Fate = { published: string; rejected?: never } | { rejected: RegExp; published?: never };
const CASES: Array<{ name: string; content: string | Buffer } & Fate> = [
  { name: 'empty.txt', content: '', rejected: /^empty file$/ },
  {
    name: 'junk.txt',
    content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xd8]),
    rejected: /binary data/,
  },
  {
    name: 'truncated.txt',
    content: Buffer.from(cyrillicArticle('Прекинут UTF-8')).subarray(0, -3),
    rejected: /truncated UTF-8/,
  },
  {
    name: 'cp1251.txt',
    content: iconv.encode(cyrillicArticle('Вест у кодној страни 1251'), 'win1251'),
    published: 'Вест у кодној страни 1251',
  },
  {
    name: 'latin1.txt',
    content: iconv.encode('Économie\n\nÇa coûte très cher\n\nDéjà\n\nÉté.\n', 'latin1'),
    rejected: /not valid UTF-8, and not Windows-1251/,
  },
  {
    name: 'huge.txt',
    content: `${cyrillicArticle('Превелика')}${'x'.repeat(210_000)}\n`,
    rejected: /over MAX_ARTICLE_BYTES \(200000\)/,
  },
  {
    name: 'no-body.txt',
    content: 'Србија\n\nНаслов без текста\n\nСамо увод\n',
    rejected: /^title but no body paragraphs$/,
  },
  {
    name: 'front-matter.txt',
    content: `---\nid: [неправилно\n---\n${GOOD}`,
    rejected: /front matter is not valid YAML/,
  },
  {
    name: 'bad-date.txt',
    content: `---\npublished: 2026-02-30T10:00:00Z\n---\n${GOOD}`,
    rejected: /published: unparseable date: write a real date as/,
  },
  {
    name: 'long-title.txt',
    content: cyrillicArticle('Дуг наслов '.repeat(46).trim()),
    published: 'Дуг наслов '.repeat(46).trim(),
  },
  {
    name: 'many-paragraphs.txt',
    content: `Србија\n\nВест са пет хиљада пасуса\n\nУвод\n\n${Array.from({ length: 5000 }, (_, i) => `Пасус ${i}.`).join('\n\n')}\n`,
    published: 'Вест са пет хиљада пасуса',
  },
  {
    name: 'marks.txt',
    content: cyrillicArticle('Емоџи 😀, нулта\u200Bширина, \u200Fдесно-лево\u200E и BOM\uFEFFунутра'),
    published: 'Емоџи 😀, нулта\u200Bширина, \u200Fдесно-лево\u200E и BOM\uFEFFунутра',
  },
];

describe('bad article files', () => {
  let service: TestService;
  let summary: PassSummary;
  let outside: string;
  let good: string[];
  const snapshot = new Map<string, Buffer>();
  before(async () => {
    service = await startTestService({ env: { MAX_ARTICLE_BYTES: '200000' } });
    good = writeArticles(service, 3, { folder: 'good' });
    for (const { name, content } of CASES) snapshot.set(name, fs.readFileSync(service.write(`bad/${name}`, content)));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), cyrillicArticle('Тајна изван фасцикле'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(service.articlesDir, 'bad', 'link-out.txt'));
    summary = await service.pass('2026-11-25T08:00:00Z');
  });
  after(async () => {
    await service.close();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  for (const { name, published, rejected } of CASES) {
    it(`${name}: ${rejected ? `rejected (${rejected.source})` : 'published'}`, async () => {
      const report = summary.rejectedFiles.find((file) => file.path === `bad/${name}`);
      if (rejected) assert.match(report?.reason ?? 'not reported', rejected);
      else {
        assert.equal(report, undefined, report?.reason);
        const json = JSON.parse((await request(service.app).get('/feed.json?limit=200').expect(200)).text) as {
          items: Array<{ title: string }>;
        };
        assert.ok(
          json.items.some((item) => item.title === published),
          `${published} is not in the feed`,
        );
      }
      assert.deepEqual(
        fs.readFileSync(path.join(service.articlesDir, 'bad', name)),
        snapshot.get(name),
        'the file is untouched',
      );
    });
  }

  it('does not follow a symlink out of ARTICLES_DIR', async () => {
    assert.deepEqual(
      summary.rejectedFiles.find((file) => file.path === 'bad/link-out.txt'),
      { path: 'bad/link-out.txt', reason: 'symlink to a target outside ARTICLES_DIR (not followed)' },
    );
    const json = (await request(service.app).get('/feed.json?limit=200').expect(200)).text;
    assert.ok(!json.includes('Тајна изван фасцикле'));
  });

  it('still publishes every good article, in feeds that stay valid', async () => {
    assert.equal(summary.new, good.length + CASES.filter((c) => c.published).length);
    for (const [format, url] of [
      ['rss', '/rss.xml?limit=200'],
      ['atom', '/atom.xml?limit=200'],
      ['json', '/feed.json?limit=200'],
    ] as const) {
      const body = (await request(service.app).get(url).expect(200)).text;
      await assertValidFeed(body, format);
      for (const [reader, feed] of await readWithAll(body, format)) {
        assert.equal(feed.items.length, summary.new, reader);
        for (const title of good)
          assert.ok(
            feed.items.some((item) => item.title === title),
            `${reader}: ${title}`,
          );
      }
    }
  });

  it('lists every rejected file on /status with its path relative to ARTICLES_DIR', async () => {
    const status = (await request(service.app).get('/status').expect(200)).body as { lastPass: PassSummary };
    assert.equal(status.lastPass.rejectedFiles.length, CASES.filter((c) => c.rejected).length + 1);
    for (const file of status.lastPass.rejectedFiles) assert.match(file.path, /^bad\/[\w.-]+$/);
  });

  it('reads a file that changes while it is being read again on the next pass instead of half-taking it', async () => {
    const { readArticleFile } = await import('../../src/articles/scan.js');
    const file = service.write('moving.txt', GOOD);
    const stale = { size: fs.statSync(file).size, mtimeMs: fs.statSync(file).mtimeMs - 1000 };
    assert.deepEqual(
      readArticleFile(fs.realpathSync(service.articlesDir), { path: 'moving.txt', absolute: file }, stale),
      {
        ok: false,
        reason: 'file changed while it was being read; it is read again on the next pass',
      },
    );
  });
});
