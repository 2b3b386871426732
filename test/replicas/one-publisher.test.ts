import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestSchema, skipWithoutPostgres, type TestSchema } from '../support/postgres.js';
import { eventually, get, startServerProcess, type ServerProcess } from '../support/processes.js';

const article = (title: string) => `Наука\n\n${title}\n\nКратак увод у вест.\n\nПрви пасус текста.\n`;

/** Every pass any process committed, oldest first, as the passes table keeps them. */
async function committedPasses(schema: TestSchema): Promise<Array<{ new: number; runBy: string }>> {
  const client = new pg.Client({ connectionString: schema.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ summary_json: string }>('SELECT summary_json FROM passes ORDER BY id');
    return rows.map((row) => JSON.parse(row.summary_json) as { new: number; runBy: string });
  } finally {
    await client.end();
  }
}

/** The `new` count of every pass a server process logged (scheduled or live edit). */
function loggedNewCounts(replica: ServerProcess): number[] {
  return replica
    .output()
    .split('\n')
    .flatMap((line) => {
      const counts = (JSON.parse(line.startsWith('{') ? line : '{}') as { pass?: { new?: number } }).pass;
      return counts?.new === undefined ? [] : [counts.new];
    });
}

describe('two ROLE=all replicas watching one folder, on one PostgreSQL database', function () {
  this.timeout(60_000);
  let schema: TestSchema;
  let articlesDir: string;
  let replicas: ServerProcess[] = [];

  before(async function () {
    await skipWithoutPostgres(this);
    schema = await createTestSchema();
    articlesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-one-publisher-'));
    fs.writeFileSync(path.join(articlesDir, 'a.txt'), article('Прва вест'));
    // Passes at start-up and from the watchers only: both replicas see every file event at once.
    const env = {
      DATABASE_URL: schema.url,
      ARTICLES_DIR: articlesDir,
      BASE_URL: 'http://feeds.example.test',
      NORMALISE_CRON: '0 0 1 1 *',
      WATCH: 'true',
    };
    replicas = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    for (const replica of replicas)
      assert.ok(
        await eventually(async () => JSON.parse((await get(replica.port, '/status')).body).watching === true, 10_000),
      );
  });
  after(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    // Unset when the suite was skipped.
    await (schema as TestSchema | undefined)?.drop();
    if (articlesDir) fs.rmSync(articlesDir, { recursive: true, force: true });
  });

  it('publishes each added file in exactly one pass: the other replica finds it unchanged or skips', async () => {
    const committedBefore = (await committedPasses(schema)).length;
    const loggedBefore = replicas.map((replica) => loggedNewCounts(replica).length);
    const titles = ['Друга вест', 'Трећа вест', 'Четврта вест'];
    for (const [index, title] of titles.entries()) {
      fs.writeFileSync(path.join(articlesDir, `added-${index}.txt`), article(title));
      for (const replica of replicas)
        assert.ok(
          await eventually(async () => (await get(replica.port, '/rss.xml')).body.includes(title), 10_000),
          `${title} on the replica on port ${replica.port}`,
        );
    }
    // Both replicas' passes over the events have ended once neither is running one.
    for (const replica of replicas)
      assert.ok(
        await eventually(async () => JSON.parse((await get(replica.port, '/status')).body).running === false, 10_000),
      );
    const committed = (await committedPasses(schema)).slice(committedBefore);
    assert.equal(
      committed.reduce((sum, pass) => sum + pass.new, 0),
      titles.length,
      `committed passes: ${JSON.stringify(committed)}`,
    );
    const logged = replicas.flatMap((replica, index) => loggedNewCounts(replica).slice(loggedBefore[index]));
    assert.equal(
      logged.reduce((sum, count) => sum + count, 0),
      titles.length,
      `"new" logged by the replicas: ${JSON.stringify(logged)}`,
    );
  });
});
