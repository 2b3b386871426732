import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { isPublicAddress } from '../../src/jobs/image-probe.js';
import { startTestService, type TestService } from '../support/service.js';

const withImage = (url: string, title: string) => `---\nimage: ${url}\n---\nСвет\n\n${title}\n\nУвод\n\nПасус.\n`;

/** A loopback server standing for an internal service: records every request and answers like an image host. */
async function startInternalServer(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method!} ${req.url!}`);
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const secretAnswer = (_req: http.IncomingMessage, res: http.ServerResponse) =>
  void res.writeHead(200, { 'Content-Type': 'image/x-internal', 'Content-Length': '31337' }).end();

async function attachments(service: TestService) {
  const json = JSON.parse((await request(service.app).get('/feed.json').expect(200)).text) as {
    items: Array<{ image?: string; attachments?: unknown }>;
  };
  return new Map(json.items.map((item) => [item.image, item.attachments]));
}

describe('image probe and internal addresses (SSRF)', () => {
  let internal: Awaited<ReturnType<typeof startInternalServer>>;
  beforeEach(async () => {
    internal = await startInternalServer(secretAnswer);
  });
  afterEach(() => internal.close());

  it('never asks a loopback address by default, by IP, by name or IPv4-mapped IPv6, and publishes nothing from it', async () => {
    const service = await startTestService({ env: { IMAGE_PROBE_TIMEOUT_MS: '2000' } });
    try {
      const urls = [
        `http://127.0.0.1:${internal.port}/admin/delete?all=1`,
        `http://localhost:${internal.port}/admin/delete?all=2`,
        `http://[::ffff:127.0.0.1]:${internal.port}/admin/delete?all=3`,
        `http://2130706433:${internal.port}/admin/delete?all=4`,
      ];
      urls.forEach((url, index) => service.write(`a${index}.txt`, withImage(url, `Вест ${index}`)));
      const summary = await service.pass('2026-11-25T08:00:00Z');
      assert.equal(summary.new, urls.length);
      assert.deepEqual(internal.seen, []);
      const published = await attachments(service);
      assert.doesNotMatch(JSON.stringify([...published.values()]), /31337|x-internal/);
    } finally {
      await service.close();
    }
  });

  it('follows redirects on an allowed host, but not to a host off the list, nor more than three', async () => {
    const allowed = await startInternalServer((req, res) => {
      const hop = /^\/hop(\d)$/.exec(req.url ?? '');
      if (req.url === '/to-internal')
        return void res.writeHead(302, { Location: `http://localhost:${internal.port}/admin` }).end();
      if (hop)
        return void res
          .writeHead(302, { Location: Number(hop[1]) > 1 ? `/hop${Number(hop[1]) - 1}` : '/image.png' })
          .end();
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': '4242' }).end();
    });
    const origin = `http://127.0.0.1:${allowed.port}`;
    const service = await startTestService({ env: { IMAGE_PROBE_TIMEOUT_MS: '2000', IMAGE_PROBE_HOSTS: '127.0.0.1' } });
    try {
      service.write('a.txt', withImage(`${origin}/to-internal`, 'Преусмерење'));
      service.write('b.txt', withImage(`${origin}/hop3`, 'Три скока'));
      service.write('c.txt', withImage(`${origin}/hop4`, 'Четири скока'));
      await service.pass('2026-11-25T08:00:00Z');
      assert.deepEqual(internal.seen, [], 'the redirect to a host off the list was not followed');
      const published = await attachments(service);
      assert.ok(!JSON.stringify(published.get(`${origin}/to-internal`) ?? null).includes('31337'));
      assert.deepEqual(published.get(`${origin}/hop3`), [
        { url: `${origin}/hop3`, mime_type: 'image/png', size_in_bytes: 4242 },
      ]);
      assert.ok(
        !JSON.stringify(published.get(`${origin}/hop4`) ?? null).includes('4242'),
        'a fourth redirect is not followed',
      );
      assert.ok(allowed.seen.includes('HEAD /image.png'));
    } finally {
      await service.close();
      await allowed.close();
    }
  });

  it('tells public addresses from loopback, private, link-local, multicast, CGNAT, ULA and mapped ones', () => {
    const notPublic = [
      '127.0.0.1',
      '127.9.9.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '::',
      '::1',
      'fe80::1',
      'fe80::1%eth0',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::7f00:1',
      '::127.0.0.1',
      '2002:7f00:1::1',
      'not an address',
    ];
    const isPublic = [
      '8.8.8.8',
      '93.184.216.34',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700:4700::1111',
      '2a00:1450:4001::200e',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
    ];
    for (const address of notPublic) assert.equal(isPublicAddress(address), false, address);
    for (const address of isPublic) assert.equal(isPublicAddress(address), true, address);
  });
});
