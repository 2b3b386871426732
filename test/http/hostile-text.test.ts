import assert from 'node:assert/strict';
import request from 'supertest';
import { assertValidFeed, readWithAll, type FeedFormat } from '../support/third-party.js';
import { startTestService, type TestService } from '../support/service.js';

// Each of feed 6.0.0's known faults, as text an article may really contain.
const TITLE = 'Наслов <script>alert(1)</script> & &amp; ]]> па опет ]]> и \u0001\u0008крај';
const CLEAN_TITLE = 'Наслов <script>alert(1)</script> & &amp; ]]> па опет ]]> и крај';
const CATEGORY = 'Култура <б> & "наводници"';
const LEAD = 'Увод 😀 a\u200Bb \u200Fעברית\u200E крај';
const BODY = 'Пасус са <b>ознаком</b> и \u000Bконтролним знаком.';

describe('hostile text in an article', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
    service.write('hostile.txt', `${CATEGORY}\n\n${TITLE}\n\n${LEAD}\n\n${BODY}\n`);
    const summary = await service.pass('2026-11-25T08:00:00Z');
    assert.equal(summary.new, 1, JSON.stringify(summary.rejectedFiles));
  });
  after(() => service.close());

  const feeds: Array<[FeedFormat, string]> = [
    ['rss', '/rss.xml'],
    ['atom', '/atom.xml'],
    ['json', '/feed.json'],
    ['rss', '/categories/kultura-b-navodnici/rss.xml'],
    ['atom', '/categories/kultura-b-navodnici/atom.xml'],
  ];
  for (const [format, url] of feeds) {
    it(`stays valid and reads back as the cleaned text in ${url}`, async () => {
      const body = (await request(service.app).get(url).expect(200)).text;
      await assertValidFeed(body, format);
      for (const [reader, feed] of await readWithAll(body, format)) {
        const [item] = feed.items;
        // @rowanmanning/feed-parser decodes entities a second time, so a literal "&amp;" comes back as "&".
        if (reader !== '@rowanmanning/feed-parser') assert.equal(item?.title, CLEAN_TITLE, reader);
        assert.equal(item?.summary, LEAD, reader);
        assert.deepEqual(item.categories, [CATEGORY], reader);
      }
    });
  }

  it('keeps markup in the body as text, never as elements', async () => {
    const json = JSON.parse((await request(service.app).get('/feed.json').expect(200)).text);
    assert.equal(json.items[0].content_html, '<p>Пасус са &lt;b&gt;ознаком&lt;/b&gt; и контролним знаком.</p>');
  });

  it('escapes the title on the article page', async () => {
    const page = await request(service.app)
      .get('/articles/naslov-script-alert-1-script-amp-pa-opet-i-kraj')
      .expect(200);
    assert.ok(!page.text.includes('<script>alert(1)</script>'));
    assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});
