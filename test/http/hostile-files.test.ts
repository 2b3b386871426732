import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Analysis, AnalysisInput } from '../../src/jobs/decide-file.js';
import { runNormalisePass } from '../../src/jobs/normalise-pass.js';
import { ParsePool } from '../../src/jobs/parse-pool.js';
import type { PassSummary } from '../../src/store/store.js';
import { startTestService, type TestService } from '../support/service.js';

const article = (title: string, frontMatter = '') =>
  `${frontMatter ? `---\n${frontMatter}\n---\n` : ''}Србија\n\n${title}\n\nУвод у вест\n\nПрви пасус вести.\n`;

interface JsonItem {
  id: string;
  title: string;
}

async function feedItems(service: TestService): Promise<JsonItem[]> {
  return (
    JSON.parse((await request(service.app).get('/feed.json?limit=200').expect(200)).text) as { items: JsonItem[] }
  ).items;
}

const reasonFor = (summary: PassSummary, file: string) =>
  summary.rejectedFiles.find((rejected) => rejected.path === file)?.reason;

describe('hostile article files', () => {
  let service: TestService;
  let outside: string;
  beforeEach(async () => {
    service = await startTestService();
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-articles-'));
    fs.writeFileSync(
      path.join(outside, 'vest.txt'),
      'Тајна прва линија\n\nТајна друга линија\n\nТајни увод\n\nТајни пасус.\n',
    );
  });
  afterEach(async () => {
    await service.close();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('reports a symlinked folder that leads outside ARTICLES_DIR and publishes nothing from it', async () => {
    service.write('prava.txt', article('Права вест'));
    fs.symlinkSync(outside, path.join(service.articlesDir, 'spolja'));
    const summary = await service.pass('2026-11-25T08:00:00Z');
    assert.equal(reasonFor(summary, 'spolja'), 'symlink to a folder (folders are not followed through symlinks)');
    assert.deepEqual(
      (await feedItems(service)).map((item) => item.title),
      ['Права вест'],
    );
  });

  it('rejects a file whose folder is swapped for a symlink out of ARTICLES_DIR during the pass', async () => {
    service.write('rubrika/vest.txt', article('Вест из рубрике'));
    service.write('prava.txt', article('Права вест'));
    const folder = path.join(service.articlesDir, 'rubrika');
    // The pass has listed the folder (both files sort into its first batch), and hands prava.txt, staged first, to
    // the parse pool: now the folder becomes a symlink to another one, before rubrika/vest.txt is read.
    class SwappingPool extends ParsePool {
      override analyse(input: AnalysisInput): Promise<Analysis> {
        if (input.path === 'prava.txt') {
          fs.rmSync(folder, { recursive: true });
          fs.symlinkSync(outside, folder);
        }
        return super.analyse(input);
      }
    }
    const parsePool = new SwappingPool(service.config.parseTimeoutMs);
    const summary = await runNormalisePass({ store: service.store, config: service.config, parsePool }).finally(() =>
      parsePool.close(),
    );
    assert.equal(
      reasonFor(summary, 'rubrika/vest.txt'),
      'reached through a symlinked folder that leads outside ARTICLES_DIR (not followed)',
    );
    await service.commits.check();
    const titles = (await feedItems(service)).map((item) => item.title);
    assert.deepEqual(titles, ['Права вест']);
    assert.equal(
      fs.readFileSync(path.join(outside, 'vest.txt'), 'utf8').startsWith('Тајна прва линија'),
      true,
      'the file is untouched',
    );
  });

  it('rejects a FIFO with its reason, and the pass does not wait for a writer', async () => {
    service.write('prava.txt', article('Права вест'));
    execFileSync('mkfifo', [path.join(service.articlesDir, 'cev.txt')]);
    fs.symlinkSync(path.join(service.articlesDir, 'cev.txt'), path.join(service.articlesDir, 'veza-na-cev.txt'));
    const summary = await service.pass('2026-11-25T08:00:00Z');
    assert.equal(reasonFor(summary, 'cev.txt'), 'a FIFO (named pipe), not a regular file');
    assert.equal(reasonFor(summary, 'veza-na-cev.txt'), 'a FIFO (named pipe), not a regular file');
    assert.equal(summary.new, 1);
  });

  it('publishes one of two names that differ only in Unicode normalisation, rejects the other, and stops changing', async () => {
    const composed = 'kafe\u00e9.txt';
    const decomposed = 'kafee\u0301.txt';
    service.write(decomposed, article('Растављено име'));
    service.write(composed, article('Састављено име'));
    const first = await service.pass('2026-11-25T08:00:00Z');
    assert.equal(
      reasonFor(first, decomposed),
      `its name differs from ${composed}'s only in Unicode normalisation; ${composed} is the one published`,
    );
    assert.deepEqual(
      (await feedItems(service)).map((item) => item.title),
      ['Састављено име'],
    );
    const etag = (await request(service.app).get('/feed.json').expect(200)).headers.etag;
    for (const at of ['2026-11-25T08:05:00Z', '2026-11-25T08:10:00Z']) {
      const summary = await service.pass(at);
      assert.deepEqual(
        { new: summary.new, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected },
        {
          new: 0,
          updated: 0,
          unchanged: 1,
          rejected: 1,
        },
      );
      assert.equal((await request(service.app).get('/feed.json').expect(200)).headers.etag, etag);
    }
  });
});
