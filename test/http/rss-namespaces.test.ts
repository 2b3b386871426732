import assert from 'node:assert/strict';
import request from 'supertest';
import { assertValidFeed } from '../support/third-party.js';
import { startTestService, type TestService } from '../support/service.js';

const PLAIN = 'Свет\n\nОбична вест\n\nУвод\n\nПасус.\n';
const WITH_IMAGE = '---\nimage: https://example.org/slika.jpg\n---\nСвет\n\nВест са сликом\n\nУвод\n\nПасус.\n';
const EPISODE =
  '---\naudio: {url: "https://example.org/ep.mp3", type: audio/mpeg, length: 1000, duration: 60}\n---\nСпорт\n\nЕпизода\n\nУвод\n\nПасус.\n';

/** Prefixes declared on <rss>, and prefixes of the elements the document uses. */
function namespaces(rss: string) {
  const root = rss.match(/<rss [^>]*>/)?.[0] ?? '';
  const declared = [...root.matchAll(/xmlns:(\w+)=/g)].map((match) => match[1]);
  const used = [...new Set([...rss.matchAll(/<(\w+):\w+[\s/>]/g)].map((match) => match[1]))];
  return { declared, used: used.sort() };
}

describe('RSS namespaces', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
  });
  afterEach(() => service.close());

  it('declares on <rss> exactly the namespaces the document uses', async () => {
    service.write('obicna.txt', PLAIN);
    await service.pass('2026-11-25T08:00:00Z');
    const plain = (await request(service.app).get('/rss.xml').expect(200)).text;
    assert.deepEqual(namespaces(plain), { declared: ['atom', 'content', 'dc'], used: ['atom', 'content', 'dc'] });
    await assertValidFeed(plain, 'rss');

    service.write('slika.txt', WITH_IMAGE);
    service.write('epizoda.txt', EPISODE);
    await service.pass('2026-11-25T08:05:00Z');
    const all = (await request(service.app).get('/rss.xml').expect(200)).text;
    assert.deepEqual(namespaces(all), {
      declared: ['atom', 'content', 'dc', 'media', 'itunes'],
      used: ['atom', 'content', 'dc', 'itunes', 'media'],
    });
    await assertValidFeed(all, 'rss');
    const world = (await request(service.app).get('/categories/svet/rss.xml').expect(200)).text;
    assert.deepEqual(
      namespaces(world).declared,
      ['atom', 'content', 'dc', 'media'],
      'a feed without episodes declares no itunes',
    );
  });
});
