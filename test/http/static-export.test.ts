import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import request from 'supertest';
import { eventually, freePort, get } from '../support/processes.js';
import { BASE_URL, startSampleService, type TestService } from '../support/service.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => fs.existsSync(candidate));

/** Runs `npm run export`'s program from the sources; resolves with the nginx block and the summary it printed. */
async function runExport(service: TestService, dir: string, listen: string) {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'src/cli/export.ts', dir, '--listen', listen],
    {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: `sqlite:${service.databaseFile}`, BASE_URL, LOG_LEVEL: 'silent' },
    },
  );
  return {
    nginxBlock: stdout,
    summary: JSON.parse(stderr.trim().split('\n').at(-1) ?? '{}') as { written: number; removed: number },
  };
}

const fileTimes = (dir: string) =>
  new Map(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((name) => fs.statSync(path.join(dir, name)).isFile())
      .map((name) => [name, fs.statSync(path.join(dir, name)).mtimeMs]),
  );

describe('static export served by a real nginx', function () {
  this.timeout(60_000);
  let service: TestService;
  let dir: string;
  let nginx: ChildProcess | undefined;
  let port: number;
  let firstSummary: { written: number; removed: number };

  before(async function () {
    if (!NGINX) {
      process.stdout.write('      skipped: nginx is not installed (.ci/run installs nginx-light)\n');
      return this.skip();
    }
    service = await startSampleService();
    dir = path.join(service.root, 'export');
    port = await freePort();
    const { nginxBlock, summary } = await runExport(service, dir, `127.0.0.1:${port}`);
    firstSummary = summary;
    const conf = path.join(service.root, 'nginx.conf');
    fs.writeFileSync(
      conf,
      [
        'daemon off;',
        'user root;',
        'worker_processes 1;',
        `pid ${service.root}/nginx.pid;`,
        `error_log ${service.root}/nginx-error.log;`,
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        `  client_body_temp_path ${service.root}/nginx-body;`,
        nginxBlock,
        '}',
      ].join('\n'),
    );
    nginx = spawn(NGINX, ['-e', `${service.root}/nginx-error.log`, '-p', service.root, '-c', conf], {
      stdio: 'ignore',
    });
    assert.ok(
      await eventually(async () => (await get(port, '/rss.xml').catch(() => ({ status: 0 }))).status === 200, 10_000),
      `nginx did not start: ${fs.readFileSync(`${service.root}/nginx-error.log`, 'utf8')}`,
    );
  });
  after(async () => {
    nginx?.kill();
    if (NGINX) await service.close();
  });

  const documents = [
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/lat/feed.json',
    '/categories/rusija/atom.xml',
    '/lat/categories/rusija/rss.xml',
    '/',
    '/categories/',
    '/categories/rusija',
    '/opml.xml',
  ];
  for (const document of documents)
    it(`serves ${document} with the service's bytes, content type and Cache-Control`, async () => {
      const ours = await request(service.app).get(document).set('Accept-Encoding', 'identity').expect(200);
      const theirs = await get(port, document, { 'Accept-Encoding': 'identity' });
      assert.equal(theirs.status, 200);
      assert.equal(theirs.body, ours.text);
      assert.equal(theirs.headers['content-type'], ours.headers['content-type']);
      assert.equal(theirs.headers['cache-control'], ours.headers['cache-control']);
      // The stylesheet has no Last-Modified of ours; nginx gives it the file's time.
      if (ours.headers['last-modified']) assert.equal(theirs.headers['last-modified'], ours.headers['last-modified']);
    });

  it('serves the precompressed gzip file, and answers 304 to its own ETag', async () => {
    const ours = await request(service.app).get('/rss.xml').set('Accept-Encoding', 'identity');
    const gzipped = await new Promise<Buffer>((resolve, reject) => {
      void import('node:http').then(({ default: http }) =>
        http
          .get({ host: '127.0.0.1', port, path: '/rss.xml', headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
            assert.equal(res.headers['content-encoding'], 'gzip');
            assert.match(String(res.headers.vary), /Accept-Encoding/);
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks)));
          })
          .on('error', reject),
      );
    });
    assert.equal(zlib.gunzipSync(gzipped).toString(), ours.text);
    assert.ok(fs.existsSync(path.join(dir, 'rss.xml.br')), 'the Brotli file is beside it for brotli_static');
    const first = await get(port, '/rss.xml');
    const etag = String(first.headers.etag);
    assert.ok(etag);
    assert.equal((await get(port, '/rss.xml', { 'If-None-Match': etag })).status, 304);
  });

  it('writes only the files whose bytes changed, and removes what is no longer published', async () => {
    assert.ok(firstSummary.written > 0);
    const before = fileTimes(dir);
    const again = await runExport(service, dir, `127.0.0.1:${port}`);
    assert.equal(again.summary.written, 0, 'an export of an unchanged store writes nothing');
    assert.deepEqual(fileTimes(dir), before);

    fs.rmSync(path.join(service.articlesDir, '000_7313af71399f9727.txt'));
    service.write('nova.txt', 'Култура\n\nНова изложба\n\nУвод\n\nПасус.\n');
    await service.pass('2026-11-25T09:00:00Z');
    const changed = await runExport(service, dir, `127.0.0.1:${port}`);
    assert.ok(changed.summary.written > 0 && changed.summary.written < firstSummary.written, JSON.stringify(changed));
    assert.ok(changed.summary.removed > 0, 'the retracted article’s pages are removed');
    const after = fileTimes(dir);
    // A feed the change did not touch keeps its file as it was.
    assert.equal(after.get('categories/svet/rss.xml'), before.get('categories/svet/rss.xml'));
    assert.notEqual(after.get('categories/rusija/rss.xml'), before.get('categories/rusija/rss.xml'));
    assert.notEqual(after.get('rss.xml'), before.get('rss.xml'));
    const served = await get(port, '/rss.xml', { 'Accept-Encoding': 'identity' });
    assert.ok(served.body.includes('Нова изложба'));
  });

  it('re-exports after every commit with --watch', async () => {
    const watcher = spawn(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', dir, '--watch'], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: `sqlite:${service.databaseFile}`, BASE_URL, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let reports = 0;
      watcher.stderr.on('data', (chunk: Buffer) => (reports += chunk.toString().split('\n').length - 1));
      assert.ok(await eventually(async () => Promise.resolve(reports >= 1), 20_000), 'the first export');
      service.write('jos-jedna.txt', 'Култура\n\nЈош једна изложба\n\nУвод\n\nПасус.\n');
      await service.pass('2026-11-25T10:00:00Z');
      assert.ok(
        await eventually(
          async () => Promise.resolve(fs.readFileSync(path.join(dir, 'rss.xml'), 'utf8').includes('Још једна изложба')),
          10_000,
        ),
        'the commit is exported',
      );
    } finally {
      watcher.kill();
    }
  });
});
