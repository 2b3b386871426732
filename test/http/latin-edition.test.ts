import assert from 'node:assert/strict';
import request from 'supertest';
import { assertValidFeed, readWithAll, type FeedFormat } from '../support/third-party.js';
import { BASE_URL, SEED_FILE, startSampleService, type TestService } from '../support/service.js';

const SEED_ID = `tag:feeds.example.test,2026:article/${SEED_FILE}`;
const LATIN_TITLE = 'Belousov u Kazahstanu: Odnosi Moskve i Astane su osnova stabilnosti u Centralnoj Aziji';

describe('the Latin-script edition (/lat)', () => {
  let service: TestService;
  before(async () => {
    service = await startSampleService();
  });
  after(() => service.close());

  for (const [format, file] of [
    ['rss', 'rss.xml'],
    ['atom', 'atom.xml'],
    ['json', 'feed.json'],
  ] as Array<[FeedFormat, string]>) {
    it(`serves /lat/categories/rusija/${file} transliterated, as sr-Latn, with the same entry ids`, async () => {
      const latin = (await request(service.app).get(`/lat/categories/rusija/${file}`).expect(200)).text;
      const cyrillic = (await request(service.app).get(`/categories/rusija/${file}`).expect(200)).text;
      await assertValidFeed(latin, format);
      const [[, latinFeed], [, cyrillicFeed]] = [
        (await readWithAll(latin, format))[0]!,
        (await readWithAll(cyrillic, format))[0]!,
      ];
      assert.deepEqual(
        latinFeed.items.map((item) => item.id),
        cyrillicFeed.items.map((item) => item.id),
      );
      const seed = latinFeed.items.find((item) => item.id === SEED_ID);
      assert.equal(seed?.title, LATIN_TITLE);
      assert.deepEqual(seed.categories, ['Rusija']);
      assert.equal(
        seed.link,
        `${BASE_URL}/lat/articles/belousov-u-kazahstanu-odnosi-moskve-i-astane-su-osnova-stabilnosti-u-centralnoj`,
      );
      if (latinFeed.language !== undefined) assert.equal(latinFeed.language, 'sr-Latn');
      assert.equal(latinFeed.title, 'Vesti: Rusija');
      assert.doesNotMatch(latin, /\p{Script=Cyrillic}/u, 'no Cyrillic left');
    });
  }

  it('leaves Latin-script and foreign words alone', async () => {
    const json = JSON.parse((await request(service.app).get('/lat/feed.json?limit=200').expect(200)).text) as {
      items: Array<{ content_html: string }>;
    };
    assert.ok(
      json.items.some(
        (item) => item.content_html.includes('Real Madrid') || item.content_html.includes('Deutsche Bank'),
      ),
    );
  });

  it('serves the Latin index and article pages with lang="sr-Latn"', async () => {
    const index = await request(service.app).get('/lat/').expect(200);
    assert.ok(index.text.includes('<html lang="sr-Latn">'));
    assert.ok(index.text.includes(`href="${BASE_URL}/"`), 'links back to the Cyrillic edition');
    const article = await request(service.app)
      .get('/lat/articles/belousov-u-kazahstanu-odnosi-moskve-i-astane-su-osnova-stabilnosti-u-centralnoj')
      .expect(200);
    assert.ok(article.text.includes(`<h1>${LATIN_TITLE}</h1>`));
    assert.ok(article.text.includes('<html lang="sr-Latn">'));
  });

  it('gives the Latin feeds their own feed id', async () => {
    const { parseAtomFeed } = await import('feedsmith');
    const latin = parseAtomFeed((await request(service.app).get('/lat/atom.xml').expect(200)).text);
    const cyrillic = parseAtomFeed((await request(service.app).get('/atom.xml').expect(200)).text);
    assert.equal(latin.id, 'tag:feeds.example.test,2026:feed/lat');
    assert.equal(cyrillic.id, 'tag:feeds.example.test,2026:feed');
    assert.equal(latin.xml?.lang, 'sr-Latn');
  });
});
