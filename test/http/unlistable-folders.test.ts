import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { startTestService, type TestService } from '../support/service.js';
import type { PassSummary } from '../../src/store/store.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const article = (title: string) => `Србија\n\n${title}\n\nУвод\n\nПасус.\n`;
const LONG_NAME = 'д'.repeat(125); // 250 bytes in UTF-8
const DEPTH = 18;

/** Makes folders nested past PATH_MAX (4096 bytes) one relative step at a time, with an article at the bottom. */
function writeTooDeep(root: string): void {
  const steps = Array.from({ length: DEPTH }, () => `mkdir ${LONG_NAME} && cd ${LONG_NAME}`).join(' && ');
  execFileSync('bash', ['-c', `cd "${root}" && ${steps} && printf '%s' "$ARTICLE" > dole.txt`], {
    env: { ...process.env, ARTICLE: article('Вест са дна') },
  });
}

describe('a folder the pass cannot list', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
    service.write('obicna.txt', article('Обична вест'));
    writeTooDeep(service.articlesDir);
  });
  after(async () => {
    execFileSync('rm', ['-rf', path.join(service.articlesDir, LONG_NAME)]);
    await service.close();
  });

  it('nested past PATH_MAX is reported, with its path cut short, and every other article is published', async () => {
    const summary = await service.pass('2026-11-25T08:00:00Z');
    assert.equal(summary.new, 1, JSON.stringify(summary));
    const warning = summary.warnings.find((found) => found.path.startsWith(LONG_NAME.slice(0, 50)));
    assert.ok(warning, JSON.stringify(summary.warnings));
    assert.ok(warning.path.length <= 200, `a ${warning.path.length}-character path`);
    assert.match(warning.message, /folder cannot be listed \(ENAMETOOLONG\)/);
    assert.ok((await request(service.app).get('/rss.xml').expect(200)).text.includes('Обична вест'));
    const health = (await request(service.app).get('/healthz').expect(200)).body as { status: string };
    assert.equal(health.status, 'ok');
    // And the next pass is no different: nothing about the folder fails it.
    service.write('druga.txt', article('Друга вест'));
    assert.equal((await service.pass('2026-11-25T09:00:00Z')).new, 1);
  });

  it('reports a file whose name is not valid UTF-8 instead of ignoring it', async () => {
    fs.writeFileSync(
      Buffer.concat([Buffer.from(`${service.articlesDir}/lo`), Buffer.from([0xff]), Buffer.from('s.txt')]),
      article('Лоше име'),
    );
    const summary = await service.pass('2026-11-25T10:00:00Z');
    const rejected = summary.rejectedFiles.find((file) => file.path === 'lo\uFFFDs.txt');
    assert.ok(rejected, JSON.stringify(summary.rejectedFiles));
    assert.match(rejected.reason, /not valid UTF-8/);
  });
});

describe('an unreadable subfolder, for a server that does not run as root', function () {
  this.timeout(60_000);
  let root: string;
  before(function () {
    if (process.getuid?.() !== 0) {
      process.stdout.write('      skipped: needs root to make a folder another user cannot read\n');
      return this.skip();
    }
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-unreadable-'));
    fs.chmodSync(root, 0o755);
    fs.mkdirSync(path.join(root, 'articles', 'tajno'), { recursive: true });
    fs.mkdirSync(path.join(root, 'store'));
    fs.chownSync(path.join(root, 'store'), 65534, 65534);
    fs.writeFileSync(path.join(root, 'articles', 'javno.txt'), article('Јавна вест'));
    fs.writeFileSync(path.join(root, 'articles', 'tajno', 'vest.txt'), article('Вест из фасцикле'));
  });
  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  /** One pass of the normalise CLI as uid 65534 (nobody), as the README's systemd unit runs the service. */
  const passAsNobody = (): PassSummary =>
    JSON.parse(
      execFileSync(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          '--import',
          'tsx',
          'src/cli/normalise.ts',
        ],
        {
          cwd: REPO,
          env: {
            ...process.env,
            ARTICLES_DIR: path.join(root, 'articles'),
            DATABASE_URL: `sqlite:${path.join(root, 'store', 'feed.db')}`,
            LOG_LEVEL: 'silent',
            TMPDIR: path.join(root, 'store'),
          },
        },
      ).toString(),
    ) as PassSummary;

  it('keeps the entries stored from it, publishes every other folder, and reports it', () => {
    const first = passAsNobody();
    assert.equal(first.new, 2, JSON.stringify(first));
    fs.chmodSync(path.join(root, 'articles', 'tajno'), 0o700);
    fs.writeFileSync(path.join(root, 'articles', 'nova.txt'), article('Нова вест'));
    const second = passAsNobody();
    assert.equal(second.new, 1, JSON.stringify(second));
    assert.equal(second.retracted, 0, 'nothing stored from the unreadable folder is retracted');
    assert.deepEqual(
      second.warnings.map((warning) => [warning.path, /folder cannot be listed \(EACCES\)/.test(warning.message)]),
      [['tajno', true]],
    );
    fs.chmodSync(path.join(root, 'articles', 'tajno'), 0o755);
    const third = passAsNobody();
    assert.deepEqual([third.new, third.updated, third.retracted, third.warnings.length], [0, 0, 0, 0]);
  });
});
