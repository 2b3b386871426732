import assert from 'node:assert/strict';
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import RssParser from 'rss-parser';
import request from 'supertest';
import { readWithFeedsmith } from '../support/third-party.js';
import { BASE_URL, startSampleService, startTestService, type TestService } from '../support/service.js';
import { TERMS_PER_PAGE } from '../../src/http/pages/term-index-page.js';

/** A JSON article file: a complete article with `fields` over it. */
function jsonArticle(fields: Record<string, unknown>): string {
  return JSON.stringify({ category: 'Србија', title: 'Наслов', lead: 'Увод.', body: ['Први пасус.'], ...fields });
}

const ORIGIN = new URL(BASE_URL).origin;
const SITE_LINK = new RegExp(`${ORIGIN.replace(/[.]/g, '\\.')}[^"'<>\\s]*`, 'g');

/**
 * Requests `start` and every link of ours found in a response that `follow` accepts (pages, feeds, OPML), once
 * each, by its path: the answers by path.
 */
async function crawl(
  app: TestService['app'],
  start: readonly string[],
  follow: (path: string, response: request.Response) => boolean,
) {
  const answers = new Map<string, request.Response>();
  const queue = [...start];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (answers.has(path)) continue;
    const response = await request(app).get(path);
    answers.set(path, response);
    if (response.status === 200 && follow(path, response))
      for (const [link] of response.text.matchAll(SITE_LINK))
        queue.push(link.replace(/&amp;/g, '&').slice(ORIGIN.length) || '/');
  }
  return answers;
}

const isHtml = (response: request.Response) => /^text\/html/.test(String(response.headers['content-type']));

/** A service over exactly these article files, after one pass. */
async function serviceWith(files: Record<string, string>, env: Record<string, string> = {}): Promise<TestService> {
  const service = await startTestService({ env });
  for (const [name, content] of Object.entries(files)) service.write(name, content);
  await service.pass('2026-11-25T08:00:00Z');
  return service;
}

describe('what readers see', () => {
  describe('on the sample site', () => {
    let service: TestService;
    before(async () => {
      service = await startSampleService();
    });
    after(() => service.close());

    it('lets article pages show images from other https sites, still without inline script', async () => {
      const [entry] = await service.store.listEntries({}, 1, 0);
      const page = await request(service.app).get(`/articles/${entry!.slug}`).expect(200);
      const imgSrc = String(page.headers['content-security-policy'])
        .split(';')
        .find((directive) => directive.startsWith('img-src'));
      assert.deepEqual(imgSrc?.split(' ').slice(1).sort(), ["'self'", 'data:', 'https:']);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'(;|$)/);
    });

    it('names Atom categories by their name in term, as RSS and JSON Feed do, keeping label and scheme', async () => {
      const atom = (await request(service.app).get('/atom.xml?limit=200').expect(200)).text;
      const rss = (await request(service.app).get('/rss.xml?limit=200').expect(200)).text;
      const rssFeed = await readWithFeedsmith(rss, 'rss');
      const namesById = new Map(rssFeed.items.map((item) => [item.id, item.categories]));
      const feedsmith = parseAtomFeed(atom).entries ?? [];
      const rowan = parseFeed(atom).items;
      const rssParser = (
        await new RssParser<object, { atomCategories: Array<{ $: Record<string, string> }> }>({
          customFields: { item: [['category', 'atomCategories', { keepArray: true }]] },
        }).parseString(atom)
      ).items;
      assert.ok(feedsmith.length > 0);
      feedsmith.forEach((entry, index) => {
        const names = namesById.get(entry.id ?? '');
        assert.ok(names && names.length > 0, entry.id);
        assert.deepEqual(
          entry.categories?.map((category) => category.term),
          names,
          'feedsmith term',
        );
        assert.deepEqual(
          entry.categories.map((category) => category.label),
          names,
          'feedsmith label',
        );
        assert.ok(
          entry.categories.every((category) =>
            /^http:\/\/feeds\.example\.test\/(categories|tags)\/$/.test(category.scheme ?? ''),
          ),
          'scheme',
        );
        assert.deepEqual(
          rowan[index]?.categories.map((category) => category.term),
          names,
          '@rowanmanning/feed-parser term',
        );
        assert.deepEqual(
          rssParser[index]?.atomCategories.map((category) => category.$.term),
          names,
          'rss-parser term',
        );
      });
    });

    it('gives each feed one URL: another case or a trailing slash is 404', async () => {
      for (const path of [
        '/rss.xml',
        '/lat/atom.xml',
        '/categories/rusija/feed.json',
        '/tags/metro/rss.xml',
        '/opml.xml',
      ])
        await request(service.app).get(path).expect(200);
      // Twice each: the first request renders through Express, the second may be answered by the fast path.
      for (const path of [
        '/RSS.xml',
        '/rss.xml/',
        '/Lat/atom.xml',
        '/lat/atom.xml/',
        '/categories/Rusija/feed.json',
        '/categories/rusija/feed.json/',
        '/tags/metro/RSS.xml',
        '/OPML.xml',
        '/opml.xml/',
      ])
        for (let attempt = 0; attempt < 2; attempt += 1) await request(service.app).get(path).expect(404);
    });
  });

  describe('a photo credit without its photo', () => {
    const credit = 'www.agencija.rs © Петар Петровић';
    let service: TestService;
    before(async () => {
      service = await serviceWith({
        'credit-only.json': jsonArticle({
          id: 'credit-only',
          title: 'Без слике',
          credit,
          published: '2026-11-24T08:00:00Z',
        }),
        'with-photo.json': jsonArticle({
          id: 'with-photo',
          title: 'Са сликом',
          credit,
          image: 'https://images.example.org/a.jpg',
          published: '2026-11-23T08:00:00Z',
        }),
      });
    });
    after(() => service.close());

    const creditLine = (label: string, text: string) => `<p><small>${label}: ${text}</small></p>`;

    it('is a small line of text before the body in content:encoded and content_html, not an empty figure', async () => {
      const json = JSON.parse((await request(service.app).get('/feed.json').expect(200)).text) as {
        items: Array<{ id: string; content_html: string }>;
      };
      const { items } = parseRssFeed((await request(service.app).get('/rss.xml').expect(200)).text);
      const contents = [
        ...json.items.map((item) => [item.id, item.content_html]),
        ...(items ?? []).map((item) => [item.guid?.value, item.content?.encoded]),
      ];
      assert.equal(contents.length, 2 * 2, 'both articles in both feeds');
      for (const [id, html] of contents) {
        if (id?.endsWith('credit-only'))
          assert.equal(html, `${creditLine('Фото', 'www.agencija.rs © Петар Петровић')}<p>Први пасус.</p>`);
        else
          assert.match(
            html ?? '',
            /^<figure><img src="https:\/\/images\.example\.org\/a\.jpg" alt="Са сликом"><figcaption>Фото: www\.agencija\.rs © Петар Петровић<\/figcaption><\/figure><p>/,
          );
      }
    });

    it('is a small line after the lead on the article page, in the script of the edition', async () => {
      const cyrillic = (await request(service.app).get('/articles/bez-slike').expect(200)).text;
      const latin = (await request(service.app).get('/lat/articles/bez-slike').expect(200)).text;
      assert.ok(!cyrillic.includes('<figure') && !latin.includes('<figure'));
      assert.ok(
        cyrillic.indexOf(creditLine('Фото', 'www.agencija.rs © Петар Петровић')) >
          cyrillic.indexOf('<strong>Увод.</strong>'),
      );
      assert.ok(
        latin.indexOf(creditLine('Foto', 'www.agencija.rs © Petar Petrović')) > latin.indexOf('<strong>Uvod.</strong>'),
      );
    });
  });

  describe('an all-Latin site', () => {
    const latin = (fields: Record<string, unknown>) =>
      jsonArticle({
        category: 'Ekonomija',
        lead: 'Kratak uvod.',
        body: ['Prvi pasus.', 'Drugi pasus.'],
        author: 'Marija Stojanović',
        ...fields,
      });
    let service: TestService;
    before(async () => {
      service = await serviceWith({
        'metro.json': latin({
          title: 'Nova linija metroa',
          tags: ['Beograd', 'metro'],
          image: 'https://images.example.org/metro.jpg',
          credit: 'Agencija © Petar Petrović',
        }),
        'kurs.json': latin({
          title: 'Kurs dinara stabilan',
          tags: ['Beograd'],
          credit: 'Agencija © Petar Petrović',
          published: '2026-11-20T08:00:00Z',
        }),
        'sport.json': latin({ category: 'Sport', title: 'Pobeda u Nišu', published: '2026-11-21T08:00:00Z' }),
      });
    });
    after(() => service.close());

    it('shows /lat/ pages with no Cyrillic letter, and every link on them answers 200', async () => {
      const answers = await crawl(
        service.app,
        ['/lat/'],
        (path, response) => path.startsWith('/lat/') && isHtml(response),
      );
      const pages = [...answers].filter(([path, response]) => path.startsWith('/lat/') && isHtml(response));
      for (const [path, response] of pages) assert.doesNotMatch(response.text, /\p{Script=Cyrillic}/u, path);
      for (const [path, response] of answers) assert.equal(response.status, 200, path);
      assert.ok(
        pages.some(([path]) => path.startsWith('/lat/articles/')) &&
          pages.some(([path]) => path.startsWith('/lat/tags/beograd')),
      );
      for (const kind of ['categories', 'tags'])
        assert.ok(
          pages.some(([path]) => path === `/lat/${kind}/`),
          `links /lat/${kind}/`,
        );
    });
  });

  describe('the lists of every category and tag', () => {
    const tagCount = TERMS_PER_PAGE + 5;
    let service: TestService;
    before(async () => {
      // An article may have at most 50 tags: the tags are spread over three articles of one category.
      const tags = Array.from({ length: tagCount }, (_, index) => `ознака ${index}`);
      service = await serviceWith({
        'many-tags-1.json': jsonArticle({ title: 'Много ознака', tags: tags.slice(0, 50) }),
        'many-tags-2.json': jsonArticle({ title: 'Још ознака', tags: tags.slice(50, 100) }),
        'many-tags-3.json': jsonArticle({ title: 'Последње ознаке', tags: tags.slice(100) }),
        'other.json': jsonArticle({ category: 'Свет', title: 'Друга вест' }),
      });
    });
    after(() => service.close());

    const items = (html: string) => [
      ...html.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a> \((\d+)\):((?: <a href="[^"]+">[^<]+<\/a>)+)<\/li>/g),
    ];

    it('serves /categories/ and /tags/ (the RSS domain and Atom scheme) in both editions, each term with its feeds', async () => {
      const categories = items(
        (
          await request(service.app)
            .get('/categories/')
            .expect(200)
            .expect('Content-Type', /text\/html/)
        ).text,
      );
      assert.deepEqual(
        categories.map((item) => [item[1], item[2], item[3]]),
        [
          [`${BASE_URL}/categories/srbija`, 'Србија', '3'],
          [`${BASE_URL}/categories/svet`, 'Свет', '1'],
        ],
      );
      assert.ok(categories[0]?.[4]?.includes(`<a href="${BASE_URL}/categories/srbija/atom.xml">`));
      const latinTags = items((await request(service.app).get('/lat/tags/').expect(200)).text);
      assert.equal(latinTags[0]?.[2], '#oznaka 0');
      assert.ok(latinTags[0][4]?.includes(`<a href="${BASE_URL}/lat/tags/oznaka-0/rss.xml">`));
    });

    it('pages a long list: a bounded page, links to the next and previous, 404 past the last, 400 for a bad page', async () => {
      const first = (await request(service.app).get('/tags/').expect(200)).text;
      assert.equal(items(first).length, TERMS_PER_PAGE);
      assert.ok(first.includes(`<a href="${BASE_URL}/tags/?page=2" rel="next">`));
      const second = (await request(service.app).get('/tags/?page=2').expect(200)).text;
      assert.equal(items(second).length, tagCount - TERMS_PER_PAGE);
      assert.ok(second.includes(`<a href="${BASE_URL}/tags/" rel="prev">`) && !second.includes('rel="next"'));
      const slugs = new Set([...items(first), ...items(second)].map((item) => item[1]));
      assert.equal(slugs.size, tagCount);
      await request(service.app).get('/tags/?page=3').expect(404);
      await request(service.app).get('/tags/?page=0').expect(400);
      const home = (await request(service.app).get('/').expect(200)).text;
      assert.ok(home.includes(`<a href="${BASE_URL}/tags/">`), 'the home page links the whole list');
      assert.equal(home.match(/#ознака/g)?.length, TERMS_PER_PAGE, 'the home page lists only the first page');
    });
  });

  describe('a BASE_URL with a path', () => {
    const prefix = '/vesti';
    let service: TestService;
    before(async () => {
      service = await serviceWith(
        {
          'a.json': jsonArticle({
            title: 'Прва',
            tags: ['метро'],
            image: 'https://images.example.org/a.jpg',
            credit: 'Агенција',
          }),
          'b.json': jsonArticle({ category: 'Свет', title: 'Друга', published: '2026-11-20T08:00:00Z' }),
        },
        { BASE_URL: `${BASE_URL}${prefix}`, FEED_LIMIT: '1' },
      );
    });
    after(() => service.close());

    it('answers every link in its feeds and pages at that path', async () => {
      const start = ['/', '/lat/', '/opml.xml', '/rss.xml', '/atom.xml', '/feed.json'].map(
        (path) => `${prefix}${path}`,
      );
      const answers = await crawl(service.app, start, () => true);
      assert.ok(
        [...answers.keys()].some((path) => path.includes('?page=2')),
        'paging links followed',
      );
      assert.ok(
        [...answers.keys()].some((path) => path === `${prefix}/categories/`),
        'taxonomy links followed',
      );
      for (const [path, response] of answers) {
        assert.ok(path.startsWith(`${prefix}/`), `${path} carries the prefix`);
        assert.equal(response.status, 200, path);
      }
      for (const path of [`${prefix}/healthz`, `${prefix}/readyz`, `${prefix}/status`])
        await request(service.app).get(path).expect(200);
      // The front page's one address is the one its links give, with the slash.
      await request(service.app).get(prefix).expect(301).expect('Location', `${prefix}/`);
    });

    it('answers nothing outside that path', async () => {
      for (const path of [
        '/',
        '/rss.xml',
        '/lat/atom.xml',
        '/healthz',
        `${prefix}x/rss.xml`,
        `${prefix.toUpperCase()}/rss.xml`,
      ])
        await request(service.app).get(path).expect(404);
    });
  });

  describe('a term spelled in both scripts', () => {
    let service: TestService;
    before(async () => {
      service = await serviceWith({
        'older.json': jsonArticle({
          category: 'Економија',
          title: 'Старија',
          tags: ['Beograd'],
          published: '2026-11-20T08:00:00Z',
        }),
        'newer.json': jsonArticle({
          category: 'Ekonomija',
          title: 'Новија',
          tags: ['Београд'],
          published: '2026-11-24T08:00:00Z',
        }),
      });
    });
    after(() => service.close());

    for (const [prefix, category, tag] of [
      ['', 'Економија', 'Београд'],
      ['/lat', 'Ekonomija', 'Beograd'],
    ] as const)
      it(`is named in the script of the edition at "${prefix}/": ${category}, #${tag}`, async () => {
        const home = (await request(service.app).get(`${prefix}/`).expect(200)).text;
        assert.ok(home.includes(`/categories/ekonomija">${category}</a> (2)`), 'home page');
        assert.ok(home.includes(`/tags/beograd">#${tag}</a> (2)`), 'home page');
        assert.ok(
          (await request(service.app).get(`${prefix}/categories/ekonomija`).expect(200)).text.includes(
            `<h1>${category}</h1>`,
          ),
        );
        const feed = await readWithFeedsmith(
          (await request(service.app).get(`${prefix}/tags/beograd/rss.xml`).expect(200)).text,
          'rss',
        );
        assert.match(feed.title, new RegExp(`: #${tag}$`));
        const opml = (await request(service.app).get('/opml.xml').expect(200)).text;
        assert.ok(opml.includes(`: ${category}"`), 'OPML');
      });
  });
});
