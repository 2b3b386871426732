import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import request from 'supertest';
import { assertValidFeed } from '../support/third-party.js';
import { startTestService, type TestService } from '../support/service.js';

const withImage = (frontMatter: string) =>
  `---\n${frontMatter}\n---\nСвет\n\nВест са сликом\n\nУвод\nВест са сликомAP Photo © Darko Vojinović\n\nПасус.\n`;

async function feeds(service: TestService) {
  const rssText = (await request(service.app).get('/rss.xml').expect(200)).text;
  const atomText = (await request(service.app).get('/atom.xml').expect(200)).text;
  const jsonText = (await request(service.app).get('/feed.json').expect(200)).text;
  await assertValidFeed(rssText, 'rss');
  await assertValidFeed(atomText, 'atom');
  await assertValidFeed(jsonText, 'json');
  return {
    rss: parseRssFeed(rssText).items?.[0],
    atom: parseAtomFeed(atomText).entries?.[0],
    json: JSON.parse(jsonText).items[0] as Record<string, unknown>,
    rssText,
  };
}

describe('images and media for apps', () => {
  it('publishes a stated image as Media RSS with credit and description, an RSS enclosure, an Atom enclosure link and JSON attachments', async () => {
    const service = await startTestService();
    try {
      service.write('a.txt', withImage('image: https://example.org/slika.jpg\nimage_length: 12345'));
      await service.pass('2026-11-25T08:00:00Z');
      const { rss, atom, json } = await feeds(service);
      assert.deepEqual(rss?.enclosures, [{ url: 'https://example.org/slika.jpg', length: 12345, type: 'image/jpeg' }]);
      assert.deepEqual(rss.media?.contents?.[0], {
        url: 'https://example.org/slika.jpg',
        fileSize: 12345,
        type: 'image/jpeg',
        medium: 'image',
        description: { value: 'Вест са сликом', type: 'plain' },
        credits: [{ value: 'AP Photo © Darko Vojinović', role: 'photographer' }],
      });
      assert.deepEqual(
        atom?.links?.find((link) => link.rel === 'enclosure'),
        {
          href: 'https://example.org/slika.jpg',
          rel: 'enclosure',
          type: 'image/jpeg',
          length: 12345,
        },
      );
      assert.equal(json.image, 'https://example.org/slika.jpg');
      assert.deepEqual(json.attachments, [
        { url: 'https://example.org/slika.jpg', mime_type: 'image/jpeg', size_in_bytes: 12345 },
      ]);
    } finally {
      await service.close();
    }
  });

  it('never writes length="0": without a known length there is no RSS enclosure, and no fileSize', async () => {
    const service = await startTestService();
    try {
      service.write('a.txt', withImage('image: https://example.org/slika.webp'));
      await service.pass('2026-11-25T08:00:00Z');
      const { rss, atom, rssText } = await feeds(service);
      assert.equal(rss?.enclosures, undefined);
      assert.equal(rss?.media?.contents?.[0]?.fileSize, undefined);
      assert.equal(rss?.media?.contents?.[0]?.type, 'image/webp');
      assert.equal(atom?.links?.find((link) => link.rel === 'enclosure')?.length, undefined);
      assert.doesNotMatch(rssText, /length="0"|fileSize="0"/);
    } finally {
      await service.close();
    }
  });

  it('finds an unstated length with one HEAD request (timeout, cached across passes) when IMAGE_PROBE_TIMEOUT_MS is set', async () => {
    let heads = 0;
    const images = http.createServer((req, res) => {
      if (req.method === 'HEAD') heads += 1;
      if (req.url === '/slow.jpg')
        return void setTimeout(() => res.writeHead(200, { 'Content-Length': '10' }).end(), 2000);
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': '54321' }).end();
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
    const service = await startTestService({ env: { IMAGE_PROBE_TIMEOUT_MS: '300', IMAGE_PROBE_HOSTS: '127.0.0.1' } });
    try {
      service.write('a.txt', withImage(`image: ${origin}/slika`));
      service.write('b.txt', withImage(`image: ${origin}/slow.jpg`).replace('Вест са сликом', 'Спора слика'));
      await service.pass('2026-11-25T08:00:00Z');
      const json = JSON.parse((await request(service.app).get('/feed.json').expect(200)).text) as {
        items: Array<Record<string, unknown>>;
      };
      const probed = json.items.find((item) => item.image === `${origin}/slika`);
      assert.deepEqual(probed?.attachments, [{ url: `${origin}/slika`, mime_type: 'image/png', size_in_bytes: 54321 }]);
      const slow = json.items.find((item) => item.image === `${origin}/slow.jpg`);
      assert.deepEqual(
        slow?.attachments,
        [{ url: `${origin}/slow.jpg`, mime_type: 'image/jpeg' }],
        'timed out: length unknown',
      );
      const headsAfterFirstPass = heads;
      service.write('a.txt', withImage(`image: ${origin}/slika`).replace('Пасус.', 'Измењен пасус.'));
      await service.pass('2026-11-25T08:05:00Z');
      assert.equal(heads, headsAfterFirstPass, 'the probe result was cached');
    } finally {
      await service.close();
      images.closeAllConnections();
      await new Promise((resolve) => images.close(resolve));
    }
  });
});
