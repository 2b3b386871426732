import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { readWithFeedsmith } from '../support/third-party.js';
import { startTestService, type TestService } from '../support/service.js';

// A parse worker crashes or hangs on a file holding one of these (see src/jobs/parse-worker.ts).
const CRASH_MARKER = 'FEED-TEST-CRASH-MARKER';
const HANG_MARKER = 'FEED-TEST-HANG-MARKER';

const ARTICLE = (title: string, body = 'Први пасус текста.') => `Србија\n\n${title}\n\nКратак увод у вест\n\n${body}\n`;

async function siteTitles(service: TestService): Promise<string[]> {
  const response = await request(service.app).get('/feed.json').expect(200);
  return (await readWithFeedsmith(response.text, 'json')).items.map((item) => item.title);
}

async function health(service: TestService): Promise<{ status: string; problems: string[] }> {
  return (await request(service.app).get('/healthz').expect(200)).body;
}

/** `npm run normalise` in its own process, on the service's folder and store, without the test fault markers. */
function normaliseInAnotherProcess(service: TestService): Promise<{ code: number | null; stdout: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ARTICLES_DIR: service.articlesDir,
    DATABASE_URL: `sqlite:${service.databaseFile}`,
    LOG_LEVEL: 'silent',
  };
  delete env.FEED_TEST_CRASH_MARKER;
  delete env.FEED_TEST_HANG_MARKER;
  const child = spawn('node', ['--import', 'tsx', 'src/cli/normalise.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout })));
}

describe('worker threads that die or hang', function () {
  this.timeout(90_000);
  let service: TestService | undefined;

  // Worker threads copy the environment when they start, so the markers are set before the service's first pass.
  async function startWithFaults(
    markers: Record<string, string>,
    env: Record<string, string> = {},
  ): Promise<TestService> {
    Object.assign(process.env, markers);
    service = await startTestService({ env });
    return service;
  }

  afterEach(async () => {
    delete process.env.FEED_TEST_CRASH_MARKER;
    delete process.env.FEED_TEST_HANG_MARKER;
    await service?.close();
    service = undefined;
  });

  it('fails the pass when a parse worker dies, says so in /healthz, and the next pass publishes', async () => {
    const service = await startWithFaults({ FEED_TEST_CRASH_MARKER: CRASH_MARKER });
    service.write('dobra.txt', ARTICLE('Добра вест'));
    const crashing = service.write('pad.txt', ARTICLE('Вест која руши радника', CRASH_MARKER));

    await assert.rejects(
      service.pass('2026-11-25T08:00:00Z'),
      /a parse worker stopped \(exit code 70\) while parsing pad\.txt/,
    );
    const degraded = await health(service);
    assert.equal(degraded.status, 'degraded');
    assert.match(degraded.problems[0] ?? '', /parse worker stopped .* pad\.txt/);
    const status = await request(service.app).get('/status').expect(200);
    assert.equal(status.body.running, false);
    assert.match(status.body.lastError.message, /pad\.txt/);
    assert.equal(await service.store.countEntries({}), 0, 'nothing of the failed pass was committed');

    fs.writeFileSync(crashing, ARTICLE('Вест која више не руши'));
    const summary = await service.pass('2026-11-25T08:05:00Z');
    assert.equal(summary.new, 2);
    assert.deepEqual((await siteTitles(service)).sort(), ['Вест која више не руши', 'Добра вест']);
    assert.equal((await health(service)).status, 'ok');
  });

  it('rejects a file that takes longer than PARSE_TIMEOUT_MS, untouched, and publishes the others', async () => {
    const service = await startWithFaults({ FEED_TEST_HANG_MARKER: HANG_MARKER }, { PARSE_TIMEOUT_MS: '3000' });
    service.write('a-prva.txt', ARTICLE('Прва вест'));
    const slow = service.write('b-spora.txt', ARTICLE('Спора вест', HANG_MARKER));
    service.write('c-druga.txt', ARTICLE('Друга вест'));
    const slowBefore = { bytes: fs.readFileSync(slow), mtimeMs: fs.statSync(slow).mtimeMs };

    const summary = await service.pass('2026-11-25T08:00:00Z');
    assert.deepEqual(summary.rejectedFiles, [{ path: 'b-spora.txt', reason: 'took too long to parse (over 3000 ms)' }]);
    assert.equal(summary.new, 2);
    assert.deepEqual((await siteTitles(service)).sort(), ['Друга вест', 'Прва вест']);
    assert.deepEqual({ bytes: fs.readFileSync(slow), mtimeMs: fs.statSync(slow).mtimeMs }, slowBefore);
    const status = await request(service.app).get('/status').expect(200);
    assert.deepEqual(status.body.lastPass.rejectedFiles, summary.rejectedFiles);

    // The worker stuck on it was replaced: the next pass parses on a working one.
    fs.rmSync(slow);
    service.write('d-treca.txt', ARTICLE('Трећа вест'));
    const next = await service.pass('2026-11-25T08:05:00Z');
    assert.equal(next.new, 1);
    assert.ok((await siteTitles(service)).includes('Трећа вест'));
  });

  it('rolls back a pass that outlives PASS_TIMEOUT, reports it, and leaves the store free for the next pass and the CLI', async () => {
    const service = await startWithFaults(
      { FEED_TEST_HANG_MARKER: HANG_MARKER },
      { PARSE_TIMEOUT_MS: '600000', PASS_TIMEOUT: '3' },
    );
    const first = await service.pass('2026-11-25T08:00:00Z');
    service.write('a-dobra.txt', ARTICLE('Добра вест'));
    service.write('b-visi.txt', ARTICLE('Вест на којој пролаз виси', HANG_MARKER));

    await assert.rejects(
      service.pass('2026-11-25T08:05:00Z'),
      /ran longer than PASS_TIMEOUT \(3 s\); it was stopped and rolled back/,
    );
    assert.equal(await service.store.countEntries({}), 0, 'the entry written before the hang was rolled back');
    assert.deepEqual(await service.store.lastPass(), first);
    const degraded = await health(service);
    assert.equal(degraded.status, 'degraded');
    assert.match(degraded.problems[0] ?? '', /PASS_TIMEOUT/);
    assert.equal((await request(service.app).get('/status').expect(200)).body.running, false);

    const cli = await normaliseInAnotherProcess(service);
    assert.equal(cli.code, 0);
    assert.equal(JSON.parse(cli.stdout).new, 2);

    const next = await service.pass('2026-11-25T08:10:00Z');
    assert.equal(next.unchanged, 2);
    assert.deepEqual((await siteTitles(service)).sort(), ['Вест на којој пролаз виси', 'Добра вест']);
    assert.equal((await health(service)).status, 'ok');
  });

  it('exits 0 on SIGTERM while a pass hangs, leaving the store unlocked', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-workers-'));
    const articlesDir = path.join(root, 'articles');
    fs.mkdirSync(articlesDir);
    fs.writeFileSync(path.join(articlesDir, 'visi.txt'), ARTICLE('Вест на којој пролаз виси', HANG_MARKER));
    const databaseFile = path.join(root, 'feed.db');
    const port = 45000 + Math.floor(Math.random() * 2000);
    let child: ChildProcess | undefined;
    try {
      child = spawn('node', ['--import', 'tsx', 'src/server.ts'], {
        env: {
          ...process.env,
          PORT: String(port),
          ARTICLES_DIR: articlesDir,
          DATABASE_URL: `sqlite:${databaseFile}`,
          LOG_LEVEL: 'silent',
          PARSE_TIMEOUT_MS: '600000',
          FEED_TEST_HANG_MARKER: HANG_MARKER,
        },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
      const server = request(`http://127.0.0.1:${port}`);
      for (;;) {
        const status = await server.get('/status').catch(() => undefined);
        if (status?.body.running === true) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill('SIGTERM');
      assert.equal(await exited, 0, 'the hung pass was stopped, not waited for until the forced exit');
      const store = new Database(databaseFile, { timeout: 0 });
      assert.equal(store.pragma('integrity_check', { simple: true }), 'ok');
      store.exec('BEGIN IMMEDIATE');
      store.exec('ROLLBACK');
      store.close();
    } finally {
      if (child?.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
