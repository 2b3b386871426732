import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { WebSubPublisher } from '../../src/push/websub.js';
import { eventually } from '../support/processes.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/**
 * A slow hub on loopback: holds every publish request until `release()`, counting the most connections and
 * requests it ever had open at once, and every feed URL it was told about.
 */
async function startSlowHub() {
  const pinged: string[] = [];
  const held: Array<() => void> = [];
  let released = false;
  let openSockets = 0;
  let openRequests = 0;
  const peak = { sockets: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    openRequests += 1;
    peak.requests = Math.max(peak.requests, openRequests);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const answer = () => {
        pinged.push(new URLSearchParams(body).get('hub.url') ?? '');
        openRequests -= 1;
        res.writeHead(204).end();
      };
      if (released) answer();
      else held.push(answer);
    });
  });
  server.on('connection', (socket) => {
    openSockets += 1;
    peak.sockets = Math.max(peak.sockets, openSockets);
    socket.on('close', () => (openSockets -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`,
    pinged,
    peak,
    held: () => held.length,
    release() {
      released = true;
      for (const answer of held.splice(0)) answer();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'warn' }, destination), lines };
}

const feedUrls = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `http://feeds.example.test/tags/t${from + i}/rss.xml`);

describe('WebSub under a flood of changed feeds', () => {
  let hub: Awaited<ReturnType<typeof startSlowHub>>;
  beforeEach(async () => {
    hub = await startSlowHub();
  });
  afterEach(() => hub.close());

  it('keeps at most `concurrency` pings open on a slow hub, collapses duplicates and still pings every URL', async () => {
    const concurrency = 4;
    const { log } = capturedLog();
    const publisher = new WebSubPublisher({ hubUrl: hub.url, retryMs: 20, log, concurrency });
    const urls = feedUrls(3000);
    // The same URLs twice in one pass, and again from a later pass while they still wait for the slow hub.
    const done = publisher.publish([...urls, ...urls]);
    await settle();
    const later = publisher.publish(urls.slice(1000));
    assert.ok(await eventually(async () => hub.held() === concurrency, 5000), 'the hub holds the pings in flight');
    await settle();
    assert.equal(hub.held(), concurrency, 'and no more arrive while they are held');
    hub.release();
    await Promise.all([done, later]);
    assert.ok(hub.peak.sockets <= concurrency, `${hub.peak.sockets} connections were open at once`);
    assert.ok(hub.peak.requests <= concurrency, `${hub.peak.requests} requests were open at once`);
    assert.equal(hub.pinged.length, urls.length, 'one ping per distinct URL');
    assert.deepEqual([...hub.pinged].sort(), [...urls].sort());
  });

  it('drops the oldest waiting pings when the queue is full, and says so in the log', async () => {
    const { log, lines } = capturedLog();
    const publisher = new WebSubPublisher({ hubUrl: hub.url, retryMs: 20, log, concurrency: 2, maxWaiting: 10 });
    const urls = feedUrls(30);
    const done = publisher.publish(urls);
    await settle();
    hub.release();
    await done;
    // Only the newest 10 fitted in the queue; the rest were dropped, oldest first.
    assert.deepEqual([...hub.pinged].sort(), urls.slice(-10).sort());
    const warning = lines.find((line) => line.msg === 'WebSub ping queue full: dropped the oldest waiting pings');
    assert.equal(warning?.dropped, urls.length - 10);
  });
});
