import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { massRetractRefusal } from '../../src/jobs/normalise-pass.js';
import { openStore } from '../../src/store/open-store.js';
import { readWithFeedsmith } from '../support/third-party.js';
import { startTestService, type TestService } from '../support/service.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Enough entries for the guard to apply (it starts at 10 published).
const ARTICLE_COUNT = 12;
const article = (index: number) => `Србија\n\nВест број ${index}\n\nУвод у вест ${index}\n\nПасус вести ${index}.\n`;

function writeArticles(folder: string): void {
  fs.mkdirSync(folder, { recursive: true });
  for (let index = 0; index < ARTICLE_COUNT; index += 1)
    fs.writeFileSync(path.join(folder, `vest-${index}.txt`), article(index));
}

function emptyFolder(folder: string): void {
  for (const name of fs.readdirSync(folder)) fs.rmSync(path.join(folder, name), { recursive: true });
}

async function feedItemCount(service: TestService): Promise<number> {
  const response = await request(service.app).get('/feed.json?limit=200').expect(200);
  return (await readWithFeedsmith(response.text, 'json')).items.length;
}

describe('the mass retraction guard', () => {
  describe('deciding', () => {
    const guard = { maxRetractFraction: 0.5, allowMassRetract: false };

    it('allows up to the configured share of the published entries, and refuses more', () => {
      assert.equal(massRetractRefusal(20, 10, guard), undefined);
      assert.match(massRetractRefusal(20, 11, guard) ?? '', /refused to retract 11 of 20 published entries/);
      assert.equal(massRetractRefusal(20, 20, { ...guard, maxRetractFraction: 1 }), undefined);
    });

    it('applies only once 10 entries are published, and never when an operator allows it', () => {
      assert.equal(massRetractRefusal(9, 9, guard), undefined);
      assert.notEqual(massRetractRefusal(10, 10, guard), undefined);
      assert.equal(massRetractRefusal(10, 10, { ...guard, allowMassRetract: true }), undefined);
    });
  });

  describe('in the server', () => {
    let service: TestService | undefined;
    afterEach(() => service?.close());

    it('refuses a pass over an emptied folder: nothing retracted, /healthz degraded, /status says why', async () => {
      service = await startTestService();
      writeArticles(service.articlesDir);
      await service.pass('2026-11-25T08:00:00Z');
      emptyFolder(service.articlesDir);
      await assert.rejects(
        service.pass('2026-11-25T08:05:00Z'),
        new RegExp(`refused to retract ${ARTICLE_COUNT} of ${ARTICLE_COUNT} published entries`),
      );
      assert.equal(await service.store.countEntries({}), ARTICLE_COUNT);
      assert.equal(await feedItemCount(service), ARTICLE_COUNT);
      const health = await request(service.app).get('/healthz').expect(200);
      assert.equal(health.body.status, 'degraded');
      assert.match(health.body.problems[0], /refused to retract/);
      const status = await request(service.app).get('/status').expect(200);
      assert.match(status.body.lastError.message, /MAX_RETRACT_FRACTION=0\.5.*ALLOW_MASS_RETRACT=true/);
      assert.equal(
        status.body.lastPass.retracted,
        0,
        'the refused pass was rolled back, the last committed one stands',
      );
    });

    it('retracts everything when ALLOW_MASS_RETRACT=true', async () => {
      service = await startTestService({ env: { ALLOW_MASS_RETRACT: 'true' } });
      writeArticles(service.articlesDir);
      await service.pass('2026-11-25T08:00:00Z');
      emptyFolder(service.articlesDir);
      const summary = await service.pass('2026-11-25T08:05:00Z');
      assert.equal(summary.retracted, ARTICLE_COUNT);
      assert.equal(await service.store.countEntries({}), 0);
      assert.equal((await request(service.app).get('/healthz').expect(200)).body.status, 'ok');
    });
  });

  describe('in the CLI', () => {
    let root: string;
    let articlesDir: string;
    let databaseFile: string;
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-publisher-cli-'));
      articlesDir = path.join(root, 'articles');
      databaseFile = path.join(root, 'feed.db');
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    function normalise(
      args: string[] = [],
      env: Record<string, string> = {},
    ): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'src/cli/normalise.ts', ...args],
          {
            cwd: PROJECT_ROOT,
            env: {
              ...process.env,
              ARTICLES_DIR: articlesDir,
              DATABASE_URL: `sqlite:${databaseFile}`,
              LOG_LEVEL: 'silent',
              ...env,
            },
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
    }

    async function publishedEntries(): Promise<number> {
      const store = openStore(`sqlite:${databaseFile}`);
      try {
        return await store.countEntries({});
      } finally {
        await store.close();
      }
    }

    it('exits 1 with the reason over an emptied folder, then retracts with --allow-mass-retract', async function () {
      this.timeout(60_000);
      writeArticles(articlesDir);
      assert.equal((await normalise()).code, 0);
      emptyFolder(articlesDir);
      const refused = await normalise();
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /Normalise pass failed: refused to retract 12 of 12 published entries.*--allow-mass-retract/,
      );
      assert.equal(await publishedEntries(), ARTICLE_COUNT);
      const allowed = await normalise(['--allow-mass-retract']);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.equal(JSON.parse(allowed.stdout).retracted, ARTICLE_COUNT);
      assert.equal(await publishedEntries(), 0);
    });

    it('retracts with ALLOW_MASS_RETRACT=true', async function () {
      this.timeout(60_000);
      writeArticles(articlesDir);
      assert.equal((await normalise()).code, 0);
      emptyFolder(articlesDir);
      const allowed = await normalise([], { ALLOW_MASS_RETRACT: 'true' });
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.equal(await publishedEntries(), 0);
    });

    it('names a missing folder in words and creates no database file', async () => {
      const result = await normalise();
      assert.equal(result.code, 1);
      assert.ok(result.stderr.includes(`ARTICLES_DIR ${articlesDir} does not exist`), result.stderr);
      assert.doesNotMatch(result.stderr, /ENOENT/);
      assert.equal(fs.existsSync(databaseFile), false);
    });

    it('refuses an unknown option with the usage, exit code 2', async () => {
      const result = await normalise(['--allow-mass-retracts']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Usage: npm run normalise/);
    });
  });
});
