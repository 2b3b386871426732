import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Nothing listens on port 1, so the server is refused at once.
const NO_SERVER_URL = 'postgres://postgres@127.0.0.1:1/test';

describe('suites that need PostgreSQL, without a server', function () {
  // A second mocha starts through tsx.
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-skip-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are reported as pending with the reason printed, instead of failing', async () => {
    const suite = path.join(dir, 'needs-postgres.test.ts');
    fs.writeFileSync(
      suite,
      `import { skipWithoutPostgres } from ${JSON.stringify(path.resolve('test/support/postgres.ts'))};
describe('a suite that needs PostgreSQL', function () {
  before(async function () {
    await skipWithoutPostgres(this);
  });
  it('runs only with a server', () => {
    throw new Error('ran without a server');
  });
});
`,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, TEST_DATABASE_URL: NO_SERVER_URL };
    // In CI a missing server is an error on purpose; this test is about the skip a developer sees.
    delete env.CI;
    const child = spawn(process.execPath, ['node_modules/mocha/bin/mocha.js', suite], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(exitCode, 0, output);
    assert.match(
      output,
      new RegExp(`skipped: no PostgreSQL server answers at ${NO_SERVER_URL.replaceAll('.', '\\.')}`),
      output,
    );
    assert.match(output, /0 passing[\s\S]*1 pending/, output);
  });
});
