import assert from 'node:assert/strict';
import net from 'node:net';
import request from 'supertest';
import { createTestSchema, skipWithoutPostgres, TEST_DATABASE_URL, type TestSchema } from '../support/postgres.js';
import { eventually } from '../support/processes.js';
import { startTestService, type TestService } from '../support/service.js';

const article = (category: string, title: string) =>
  `${category}\n\n${title}\n\nКратак увод у вест.\n\nПрви пасус текста.\n`;

/** A TCP relay to the PostgreSQL server that the test can cut (every connection dropped, none accepted) and restore. */
class DatabaseLink {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async open(target: { host: string; port: number }): Promise<DatabaseLink> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const link = new DatabaseLink(port, target);
    await link.restore();
    return link;
  }

  async restore(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise((resolve) => server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describe('a replica that loses its database', function () {
  this.timeout(60_000);
  let schema: TestSchema;
  let link: DatabaseLink;
  let service: TestService;

  before(async function () {
    await skipWithoutPostgres(this);
    schema = await createTestSchema();
    const server = new URL(TEST_DATABASE_URL);
    link = await DatabaseLink.open({ host: server.hostname, port: Number(server.port || 5432) });
    const url = new URL(schema.url);
    url.hostname = '127.0.0.1';
    url.port = String(link.port);
    service = await startTestService({ env: { DATABASE_URL: url.toString() } });
    service.write('a.txt', article('Србија', 'Прва вест'));
    await service.pass('2026-11-25T08:00:00Z');
  });
  after(async () => {
    await (service as TestService | undefined)?.close();
    await (link as DatabaseLink | undefined)?.cut();
    await (schema as TestSchema | undefined)?.drop();
  });

  it('keeps serving its feeds, says not ready and degraded with the reason, answers in bounded time, and recovers', async () => {
    const cached = await request(service.app).get('/rss.xml').expect(200);
    assert.equal((await request(service.app).get('/readyz')).status, 200);

    await link.cut();
    const lost = async () => (await request(service.app).get('/readyz')).status === 503;
    assert.ok(await eventually(lost, 10_000), 'not ready once the database is gone');
    const ready = (await request(service.app).get('/readyz')).body as { reason: string };
    assert.match(ready.reason, /database/);
    const health = (await request(service.app).get('/healthz').expect(200)).body as {
      status: string;
      problems: string[];
    };
    assert.equal(health.status, 'degraded');
    assert.ok(health.problems.some((problem) => problem.includes('database')));
    const still = await request(service.app).get('/rss.xml').expect(200);
    assert.equal(still.headers.etag, cached.headers.etag, 'the last good feed is still served');
    // A page nothing has rendered yet needs the database: it fails, but within the store's timeouts.
    const started = Date.now();
    const uncached = await request(service.app).get('/atom.xml?limit=7');
    assert.ok(uncached.status >= 500, `status ${uncached.status}`);
    assert.ok(Date.now() - started < 15_000, 'no request hangs on a dead database');
    // The list of categories was never read: reading it now fails.
    assert.ok((await request(service.app).get('/categories/')).status >= 500);

    await link.restore();
    const back = async () => (await request(service.app).get('/readyz')).status === 200;
    assert.ok(await eventually(back, 20_000), 'ready again after the reconnect');
    // Before any commit: a failed read of a list is not kept, so the list and the metrics drawn from it are back.
    assert.ok((await request(service.app).get('/categories/').expect(200)).text.includes('Србија'));
    assert.match((await request(service.app).get('/metrics').expect(200)).text, /feed_entries\{category="srbija"\} 1/);
    service.write('b.txt', article('Свет', 'Вест после повратка базе'));
    await service.pass('2026-11-25T08:05:00Z');
    assert.ok((await request(service.app).get('/rss.xml').expect(200)).text.includes('Вест после повратка базе'));
  });
});
