import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import request from 'supertest';
import { LIMITS } from '../../src/articles/limits.js';
import type { PassSummary } from '../../src/store/store.js';
import { assertValidFeed, readWithAll, type FeedFormat } from '../support/third-party.js';
import { startTestService, type TestService } from '../support/service.js';

const TEXT = 'Србија\n\nНаслов вести\n\nУвод у вест\n\nПрви пасус.\n';
const withFrontMatter = (yaml: string, text = TEXT) => `---\n${yaml}\n---\n${text}`;
const jsonArticle = (fields: Record<string, unknown>) =>
  JSON.stringify({ category: 'Свет', title: 'Наслов JSON вести', lead: 'Увод', body: ['Пасус.'], ...fields });
const AUDIO = { url: 'https://vesti.example/ep1.mp3', type: 'audio/mpeg', length: 1234567 };

// One anchor and as many aliases as fit under MAX_ARTICLE_BYTES: the attack from the issue.
const ALIASES = Math.floor((1_000_000 - 100) / ', *a'.length);
const aliasBomb = withFrontMatter(`tags: [&a x${', *a'.repeat(ALIASES)}]`);

// Each attack, and the reason its file must be rejected with.
const REJECTED: Array<{ name: string; content: string | Buffer; reason: RegExp }> = [
  {
    name: 'url-control.json',
    content: jsonArticle({ url: 'https://example.com/a\u0001b' }),
    reason: /^JSON article url: contains U\+0001; /,
  },
  {
    name: 'url-ffff.json',
    content: jsonArticle({ url: 'https://example.com/a\uFFFFb' }),
    reason: /^JSON article url: contains U\+FFFF; /,
  },
  {
    name: 'image-control.txt',
    content: withFrontMatter('image: "https://example.com/a\\x01b.jpg"'),
    reason: /^front matter image: contains U\+0001; /,
  },
  {
    name: 'audio-url.json',
    content: jsonArticle({ audio: { ...AUDIO, url: 'https://example.com/a\u0001b.mp3', duration: 60 } }),
    reason: /^JSON article audio\.url: contains U\+0001; /,
  },
  {
    name: 'url-relative.json',
    content: jsonArticle({ url: 'http:vesti.example/a' }),
    reason: /^JSON article url: must be an absolute http:\/\/ or https:\/\/ URL$/,
  },
  {
    name: 'alias-bomb.txt',
    content: aliasBomb,
    reason: /^front matter uses a YAML anchor \(&name\) or alias \(\*name\); /,
  },
  {
    name: 'too-many-tags.json',
    content: jsonArticle({ tags: Array.from({ length: LIMITS.tags + 1 }, (_, index) => `ознака ${index}`) }),
    reason: new RegExp(`^tags has ${LIMITS.tags + 1} tags, over the limit of ${LIMITS.tags}$`),
  },
  {
    name: 'long-tag.txt',
    content: withFrontMatter(`tags: [кратка, ${'д'.repeat(LIMITS.tag + 1)}]`),
    reason: new RegExp(`^tags\\[1\\] is ${LIMITS.tag + 1} characters long, over the limit of ${LIMITS.tag}$`),
  },
  {
    name: 'long-title.json',
    content: jsonArticle({ title: '😀'.repeat(LIMITS.title + 1) }),
    reason: new RegExp(`^title is ${LIMITS.title + 1} characters long, over the limit of ${LIMITS.title}$`),
  },
  {
    name: 'long-url.json',
    content: jsonArticle({ url: `https://example.com/${'a'.repeat(LIMITS.url)}` }),
    reason: new RegExp(`^url is \\d+ characters long, over the limit of ${LIMITS.url}$`),
  },
  {
    name: 'year-10000.txt',
    content: withFrontMatter('published: 9999-12-31T23:59:59-14:00'),
    reason:
      /^front matter published: date falls in the year 10000 \(UTC\); RSS, Atom and JSON Feed can only carry years 1000–9999$/,
  },
  {
    name: 'year-minus-1.txt',
    content: withFrontMatter('published: 0000-01-01T00:00:00+01:00'),
    reason: /^front matter published: date falls in the year -1 \(UTC\)/,
  },
  {
    name: 'year-50.json',
    content: jsonArticle({ updated: '0050-06-15' }),
    reason: /^JSON article updated: date falls in the year 50 \(UTC\)/,
  },
  {
    name: 'utf16le-bom.txt',
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(TEXT, 'utf16le')]),
    reason: /^UTF-16 text \(little-endian, with a byte-order mark\): save the file as UTF-8$/,
  },
  {
    name: 'utf16be.txt',
    content: iconv.encode(TEXT, 'utf16-be'),
    reason: /^UTF-16 text \(big-endian\): save the file as UTF-8$/,
  },
  {
    name: 'utf16le.txt',
    content: iconv.encode(TEXT, 'utf16le'),
    reason: /^UTF-16 text \(little-endian\): save the file as UTF-8$/,
  },
  {
    name: 'duration-99.json',
    content: jsonArticle({ audio: { ...AUDIO, duration: '99:99:99' } }),
    reason: /^JSON article audio\.duration: must be seconds or \[h:\]mm:ss, with minutes and seconds under 60/,
  },
  {
    name: 'duration-mm-60.txt',
    content: withFrontMatter(
      'audio: {url: "https://vesti.example/a.mp3", type: audio/mpeg, length: 5, duration: "60:00"}',
    ),
    reason: /^front matter audio\.duration: must be/,
  },
];

// The edges that must still publish: the first and last publishable instants, and a well-formed duration.
const EDGES = withFrontMatter(
  'published: 1000-01-01T00:00:00Z\nupdated: 9999-12-31T23:59:59Z',
  'Србија\n\nВест са крајњим датумима\n\nУвод\n\nПасус.\n',
);
const EPISODE = jsonArticle({
  title: 'Епизода',
  audio: { ...AUDIO, duration: '1:05:09' },
  published: '2026-11-20T08:00:00Z',
});

describe('hostile article files', () => {
  let service: TestService;
  let summary: PassSummary;
  const snapshot = new Map<string, Buffer>();
  before(async () => {
    service = await startTestService();
    for (const { name, content } of REJECTED)
      snapshot.set(name, fs.readFileSync(service.write(`hostile/${name}`, content)));
    service.write('edges.txt', EDGES);
    service.write('episode.json', EPISODE);
    summary = await service.pass('2026-11-25T08:00:00Z');
  });
  after(() => service.close());

  for (const { name, reason } of REJECTED) {
    it(`rejects ${name} with the reason, leaving the file untouched`, () => {
      const report = summary.rejectedFiles.find((file) => file.path === `hostile/${name}`);
      assert.match(report?.reason ?? 'not reported', reason);
      assert.deepEqual(fs.readFileSync(path.join(service.articlesDir, 'hostile', name)), snapshot.get(name));
    });
  }

  it('publishes the rest', () => {
    assert.equal(summary.new, 2, JSON.stringify(summary.rejectedFiles));
  });

  const feeds: Array<[FeedFormat, string]> = [
    ['rss', '/rss.xml'],
    ['atom', '/atom.xml'],
    ['json', '/feed.json'],
  ];
  for (const [format, url] of feeds) {
    it(`keeps ${url} valid, with the years 1000 and 9999 read back by every parser`, async () => {
      const body = (await request(service.app).get(url).expect(200)).text;
      await assertValidFeed(body, format);
      for (const [reader, feed] of await readWithAll(body, format)) {
        const edges = feed.items.find((item) => item.title === 'Вест са крајњим датумима');
        assert.equal(edges?.published, '1000-01-01T00:00:00Z', reader);
        if (edges.updated !== undefined && format !== 'rss')
          assert.equal(edges.updated, '9999-12-31T23:59:59Z', reader);
      }
    });
  }

  it('publishes h:mm:ss as seconds', async () => {
    const json = JSON.parse((await request(service.app).get('/feed.json').expect(200)).text) as {
      items: Array<{ title: string; attachments?: Array<{ duration_in_seconds?: number }> }>;
    };
    const episode = json.items.find((item) => item.title === 'Епизода');
    assert.equal(episode?.attachments?.[0]?.duration_in_seconds, 3600 + 5 * 60 + 9);
  });
});
