import assert from 'node:assert/strict';
import { parseRssFeed } from 'feedsmith';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { assertValidFeed } from '../support/third-party.js';
import { startTestService, type TestService } from '../support/service.js';

const PODCAST_ENV = {
  PODCAST_CATEGORIES: 'sport',
  PODCAST_IMAGE: 'https://example.org/art.jpg',
  PODCAST_OWNER_EMAIL: 'urednik@example.org',
};
const EPISODE =
  '---\naudio: {url: "https://example.org/ep1.mp3", type: audio/mpeg, length: 1234567, duration: "12:34"}\n---\nСпорт\n\nЕпизода о финалу\n\nУвод у епизоду\n\nПасус.\n';

describe('podcasts', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService({ env: PODCAST_ENV });
    service.write('ep1.txt', EPISODE);
    service.write('vest.txt', 'Свет\n\nОбична вест\n\nУвод\n\nПасус.\n');
    await service.pass('2026-11-25T08:00:00Z');
  });
  after(() => service.close());

  it('gives a podcast category the channel tags Apple Podcasts requires', async () => {
    const text = (await request(service.app).get('/categories/sport/rss.xml').expect(200)).text;
    await assertValidFeed(text, 'rss');
    const rss = parseRssFeed(text);
    // Apple Podcasts: title, description, language, artwork, category and explicit on the channel; owner e-mail to claim it.
    assert.ok(rss.title && rss.description && rss.language);
    assert.deepEqual(rss.itunes, {
      image: 'https://example.org/art.jpg',
      explicit: false,
      author: 'Вести',
      type: 'episodic',
      categories: [{ text: 'News' }],
      owner: { name: 'Вести', email: 'urednik@example.org' },
    });
  });

  it('gives an episode an audio enclosure and the item tags Apple requires (title, enclosure, guid, duration)', async () => {
    const rss = parseRssFeed((await request(service.app).get('/categories/sport/rss.xml').expect(200)).text);
    const [episode] = rss.items ?? [];
    assert.deepEqual(episode?.enclosures, [
      { url: 'https://example.org/ep1.mp3', length: 1234567, type: 'audio/mpeg' },
    ]);
    assert.deepEqual(episode.itunes, {
      duration: 754,
      explicit: false,
      title: 'Епизода о финалу',
      episodeType: 'full',
    });
    assert.ok(episode.guid?.value);
    const json = JSON.parse((await request(service.app).get('/categories/sport/feed.json').expect(200)).text);
    assert.deepEqual(json.items[0].attachments, [
      { url: 'https://example.org/ep1.mp3', mime_type: 'audio/mpeg', size_in_bytes: 1234567, duration_in_seconds: 754 },
    ]);
    await assertValidFeed(JSON.stringify(json), 'json');
    await assertValidFeed((await request(service.app).get('/categories/sport/atom.xml').expect(200)).text, 'atom');
  });

  it('marks the show and its episodes explicit with PODCAST_EXPLICIT=true', async () => {
    const explicitService = await startTestService({ env: { ...PODCAST_ENV, PODCAST_EXPLICIT: 'true' } });
    try {
      explicitService.write('ep1.txt', EPISODE);
      await explicitService.pass('2026-11-25T08:00:00Z');
      const text = (await request(explicitService.app).get('/categories/sport/rss.xml').expect(200)).text;
      await assertValidFeed(text, 'rss');
      const rss = parseRssFeed(text);
      assert.equal(rss.itunes?.explicit, true);
      assert.equal(rss.items?.[0]?.itunes?.explicit, true);
    } finally {
      await explicitService.close();
    }
  });

  it('keeps channel podcast tags off feeds that are not podcasts', async () => {
    const rss = parseRssFeed((await request(service.app).get('/categories/svet/rss.xml').expect(200)).text);
    assert.equal(rss.itunes, undefined);
  });

  it('refuses to start a podcast without artwork or an owner e-mail, naming the variable', () => {
    assert.throws(
      () => loadConfig({ PODCAST_CATEGORIES: 'sport' }),
      (error: unknown) => error instanceof ConfigError && error.message.startsWith('Invalid PODCAST_IMAGE'),
    );
    assert.throws(
      () => loadConfig({ PODCAST_CATEGORIES: 'sport', PODCAST_IMAGE: 'https://example.org/a.jpg' }),
      (error: unknown) => error instanceof ConfigError && error.message.startsWith('Invalid PODCAST_OWNER_EMAIL'),
    );
  });

  it('rejects an article whose audio lacks its length, saying which field', async () => {
    service.write('los.txt', EPISODE.replace(', length: 1234567', ''));
    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.match(
      summary.rejectedFiles.find((file) => file.path === 'los.txt')?.reason ?? '',
      /^front matter audio\.length: /,
    );
  });
});
