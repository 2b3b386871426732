import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import request from 'supertest';
import { startTestService } from '../support/service.js';

const withImage = (url: string, title: string) => `---\nimage: ${url}\n---\nСвет\n\n${title}\n\nУвод\n\nПасус.\n`;

/** An image host that holds every HEAD until released, counting the most requests it had open at once. */
async function startSlowImageHost() {
  const held: Array<() => void> = [];
  let open = 0;
  let peak = 0;
  const server = http.createServer((req, res) => {
    open += 1;
    peak = Math.max(peak, open);
    held.push(() => {
      open -= 1;
      res
        .writeHead(200, {
          'Content-Type': 'image/png',
          'Content-Length': String(1000 + Number(/\d+/.exec(req.url ?? '')?.[0])),
        })
        .end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held.length,
    peak: () => peak,
    async waitForRequests() {
      for (let tries = 0; tries < 400 && held.length === 0; tries += 1)
        await new Promise((resolve) => setTimeout(resolve, 25));
      // Let any further probes of this moment arrive too.
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
    release: () => held.splice(0).forEach((answer) => answer()),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('image probes and the store write lock', () => {
  it('probes before the write transaction, a few at a time: another writer gets the database while probes wait', async () => {
    const host = await startSlowImageHost();
    const service = await startTestService({
      env: { IMAGE_PROBE_TIMEOUT_MS: '30000', IMAGE_PROBE_HOSTS: '127.0.0.1' },
    });
    const images = Array.from({ length: 10 }, (_, index) => `${host.origin}/image-${index}.png`);
    images.forEach((url, index) => service.write(`a${index}.txt`, withImage(url, `Вест са сликом ${index}`)));
    const passing = service.pass('2026-11-25T08:00:00Z');
    const otherWriter = new Database(service.databaseFile, { timeout: 0 });
    // Until the pass has its answers, release whatever probes arrive once the checks below are done.
    let releasing: NodeJS.Timeout | undefined;
    try {
      await host.waitForRequests();
      assert.ok(host.held() > 0, 'the probes are pending');
      // What a concurrent `npm run normalise` does first: take the write lock, without waiting for it.
      otherWriter.exec('BEGIN IMMEDIATE');
      otherWriter.prepare("UPDATE store_meta SET value = value WHERE name = 'version'").run();
      otherWriter.exec('COMMIT');
      assert.ok(host.peak() <= 4, `${host.peak()} probes at once`);
      releasing = setInterval(host.release, 20);
      await passing;
      const json = JSON.parse((await request(service.app).get('/feed.json').expect(200)).text) as {
        items: Array<{ image: string; attachments: unknown }>;
      };
      for (const [index, url] of images.entries())
        assert.deepEqual(json.items.find((item) => item.image === url)?.attachments, [
          { url, mime_type: 'image/png', size_in_bytes: 1000 + index },
        ]);
    } finally {
      otherWriter.close();
      releasing ??= setInterval(host.release, 20);
      await passing.catch(() => undefined);
      clearInterval(releasing);
      await service.close();
      await host.close();
    }
  });
});
