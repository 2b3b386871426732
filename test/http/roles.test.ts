import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eventually, get, startServerProcess, type ServerProcess } from '../support/processes.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const article = (title: string) => `Србија\n\n${title}\n\nКратак увод у вест.\n\nПрви пасус текста.\n`;

describe('ROLE=web: a replica that serves and runs no job', function () {
  this.timeout(60_000);
  let root: string;
  let web: ServerProcess | undefined;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-role-'));
    fs.mkdirSync(path.join(root, 'articles'));
  });
  after(async () => {
    await web?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('never normalises by itself (not at start, not on a tick, not on a file event), and serves what a worker commits', async () => {
    const env = {
      ARTICLES_DIR: path.join(root, 'articles'),
      DATABASE_URL: `sqlite:${path.join(root, 'feed.db')}`,
      NORMALISE_CRON: '* * * * * *',
    };
    const normalise = () =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/normalise.ts'], {
        cwd: REPO,
        env: { ...process.env, ...env },
      });
    fs.writeFileSync(path.join(root, 'articles', 'a.txt'), article('Прва вест'));
    await normalise();
    web = await startServerProcess({ ...env, ROLE: 'web' });
    fs.writeFileSync(path.join(root, 'articles', 'b.txt'), article('Друга вест'));
    // Long enough for several ticks of its (every second) schedule and for a watcher's pass, had it any.
    assert.equal(
      await eventually(async () => (await get(web!.port, '/rss.xml')).body.includes('Друга вест'), 3000),
      false,
    );
    const status = JSON.parse((await get(web.port, '/status')).body) as { watching: boolean };
    assert.equal(status.watching, false);
    await normalise();
    assert.ok(
      await eventually(async () => (await get(web!.port, '/rss.xml')).body.includes('Друга вест'), 2000),
      'the worker’s commit is served',
    );
  });
});
