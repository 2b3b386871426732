import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestSchema, skipWithoutPostgres, TEST_DATABASE_URL, type TestSchema } from '../support/postgres.js';
import { eventually, get, startServerProcess, type ServerProcess } from '../support/processes.js';

const article = (category: string, title: string) =>
  `${category}\n\n${title}\n\nКратак увод у вест.\n\nПрви пасус текста.\n`;
// One job interval of two seconds: a change must show on every replica within it plus one second.
const JOB_INTERVAL_MS = 2000;

async function passSummaries(schema: TestSchema): Promise<Array<{ new: number; runBy: string }>> {
  const client = new pg.Client({ connectionString: schema.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ summary_json: string }>('SELECT summary_json FROM passes ORDER BY id');
    return rows.map((row) => JSON.parse(row.summary_json) as { new: number; runBy: string });
  } finally {
    await client.end();
  }
}

describe('several replicas on one PostgreSQL database and one articles folder', function () {
  this.timeout(120_000);
  let schema: TestSchema;
  let articlesDir: string;
  let replicas: ServerProcess[] = [];
  const shows = (replica: ServerProcess, text: string) => async () =>
    (await get(replica.port, '/rss.xml')).body.includes(text);

  before(async function () {
    await skipWithoutPostgres(this);
    schema = await createTestSchema();
    articlesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-replicas-'));
    fs.writeFileSync(path.join(articlesDir, 'a.txt'), article('Србија', 'Прва вест'));
    fs.writeFileSync(path.join(articlesDir, 'b.txt'), article('Свет', 'Друга вест'));
    const env = {
      DATABASE_URL: schema.url,
      ARTICLES_DIR: articlesDir,
      BASE_URL: 'http://feeds.example.test',
      NORMALISE_CRON: '*/2 * * * * *',
      // Passes come from the schedule alone, so which replica runs one is down to the pass lock.
      WATCH: 'false',
    };
    // Started together, as a deployment starts them: both migrate, the schema is migrated once.
    replicas = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  after(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    // Unset when the suite was skipped.
    await (schema as TestSchema | undefined)?.drop();
    if (articlesDir) fs.rmSync(articlesDir, { recursive: true, force: true });
  });

  it('answers the same bytes and the same ETag on every replica', async () => {
    for (const feed of ['/rss.xml', '/atom.xml', '/feed.json', '/categories/srbija/rss.xml', '/lat/rss.xml']) {
      const [one, two] = await Promise.all(replicas.map((replica) => get(replica.port, feed)));
      assert.equal(one?.status, 200, feed);
      assert.equal(one.body, two?.body, feed);
      assert.equal(one.headers.etag, two?.headers.etag, feed);
      assert.equal(one.headers['last-modified'], two?.headers['last-modified'], feed);
    }
  });

  it('publishes an article added on disk on every replica within one job interval plus one second, normalised by one', async () => {
    const before = (await passSummaries(schema)).length;
    fs.writeFileSync(path.join(articlesDir, 'c.txt'), article('Наука', 'Трећа вест на диску'));
    for (const replica of replicas)
      assert.ok(
        await eventually(shows(replica, 'Трећа вест на диску'), JOB_INTERVAL_MS + 1000),
        `replica on port ${replica.port}`,
      );
    const publishing = (await passSummaries(schema)).slice(before).filter((summary) => summary.new > 0);
    assert.equal(publishing.length, 1, 'exactly one pass published the article');
    const pids = replicas.map((replica) => `:${replica.pid}`);
    const runBy = publishing[0]!.runBy;
    assert.ok(
      pids.some((pid) => runBy.endsWith(pid)),
      `run by ${runBy}, one of ${pids.join(' ')}`,
    );
  });

  it('skips a tick, and says so, while another process holds the pass lock, without calling itself unhealthy', async () => {
    const holder = new pg.Client({ connectionString: schema.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      const { rows } = await holder.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || ':normalise')) AS locked",
      );
      if (!rows[0]?.locked)
        await holder.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':normalise'))");
      const skippedSince = new Date(Date.now() - 1000).toISOString();
      for (const replica of replicas) {
        const skipped = async () => {
          const status = JSON.parse((await get(replica.port, '/status')).body) as { lastSkipped: string | null };
          return status.lastSkipped !== null && status.lastSkipped >= skippedSince.slice(0, 19);
        };
        assert.ok(
          await eventually(skipped, JOB_INTERVAL_MS + 2000),
          `replica on port ${replica.port} reported the skip`,
        );
        const health = JSON.parse((await get(replica.port, '/healthz')).body) as { status: string };
        assert.equal(health.status, 'ok');
      }
      assert.match(replicas[0]?.output() ?? '', /skipped this tick/);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  it('keeps answering polls while its database connections are cut, and a commit after the reconnect reaches every replica', async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'feed-publisher' AND pid <> pg_backend_pid()",
      );
      assert.ok((rowCount ?? 0) >= 2, 'the replicas had connections to cut');
    } finally {
      await admin.end();
    }
    for (const replica of replicas) assert.equal((await get(replica.port, '/rss.xml')).status, 200);
    fs.writeFileSync(path.join(articlesDir, 'd.txt'), article('Култура', 'Четврта вест после прекида'));
    for (const replica of replicas)
      assert.ok(
        await eventually(shows(replica, 'Четврта вест после прекида'), 10_000),
        `replica on port ${replica.port}`,
      );
  });
});

describe('a replica killed in the middle of a pass', function () {
  this.timeout(120_000);
  let schema: TestSchema;
  let articlesDir: string;
  const started: ServerProcess[] = [];

  before(async function () {
    await skipWithoutPostgres(this);
    schema = await createTestSchema();
    articlesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-replicas-kill-'));
  });
  after(async () => {
    await Promise.all(started.map((replica) => replica.stop()));
    // Unset when the suite was skipped.
    await (schema as TestSchema | undefined)?.drop();
    if (articlesDir) fs.rmSync(articlesDir, { recursive: true, force: true });
  });

  it('leaves the database at its last commit, and the other replica completes the next pass', async () => {
    fs.writeFileSync(path.join(articlesDir, 'a.txt'), article('Србија', 'Прва вест'));
    // Passes only at start-up and on SIGHUP, so the test decides who normalises when.
    const env = {
      DATABASE_URL: schema.url,
      ARTICLES_DIR: articlesDir,
      BASE_URL: 'http://feeds.example.test',
      NORMALISE_CRON: '0 0 1 1 *',
      WATCH: 'false',
    };
    const survivor = await startServerProcess(env);
    started.push(survivor);
    fs.writeFileSync(path.join(articlesDir, 'b.txt'), article('Свет', 'Вест коју је носио убијени'));
    const holdFile = path.join(articlesDir, '..', `${path.basename(articlesDir)}.hold`);
    const victim = await startServerProcess({ ...env, FEED_TEST_HOLD_BEFORE_COMMIT: holdFile });
    started.push(victim);
    assert.ok(
      await eventually(async () => fs.existsSync(holdFile), 20_000),
      'the victim is inside its pass transaction',
    );
    victim.child.kill('SIGKILL');
    await victim.stop();
    fs.rmSync(holdFile, { force: true });

    const published = async () => {
      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      try {
        return (await client.query<{ title: string }>('SELECT title FROM entries ORDER BY title')).rows.map(
          (row) => row.title,
        );
      } finally {
        await client.end();
      }
    };
    assert.deepEqual(await published(), ['Прва вест'], 'nothing of the killed pass was committed');
    survivor.child.kill('SIGHUP');
    assert.ok(
      await eventually(
        async () => (await get(survivor.port, '/rss.xml')).body.includes('Вест коју је носио убијени'),
        10_000,
      ),
    );
    assert.deepEqual(await published(), ['Вест коју је носио убијени', 'Прва вест']);
  });
});
