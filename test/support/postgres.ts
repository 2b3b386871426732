import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server tests use; every machine of this project has one there (see README, Tests). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of its own for one test run, so runs never collide; `url` selects it through search_path. */
export interface TestSchema {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or undefined when the server answers. In CI a missing server fails. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    const reason = `no PostgreSQL server answers at ${TEST_DATABASE_URL} (${error instanceof Error ? error.message : String(error)})`;
    if (process.env.CI) throw new Error(`${reason}; .ci/run must start it`);
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Skips the calling suite, printing why, when no PostgreSQL server answers: a skipped test must say so. */
export async function skipWithoutPostgres(suite: Mocha.Context): Promise<void> {
  const unavailable = await postgresUnavailable();
  if (unavailable === undefined) return;
  process.stdout.write(`      skipped: ${unavailable}\n`);
  suite.skip();
}

export function schemaUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return url.toString();
}

export async function createTestSchema(): Promise<TestSchema> {
  const name = `feed_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: schemaUrl(name),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A store a suite runs on: the environment that selects it for a test service, and how to drop it after. */
export interface TestStoreKind {
  readonly name: 'SQLite' | 'PostgreSQL';
  env(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }>;
}

/** SQLite (the test service's own file) and PostgreSQL (a schema of its own, dropped after each test). */
export const TEST_STORES: readonly TestStoreKind[] = [
  { name: 'SQLite', env: async () => ({ env: {}, drop: async () => undefined }) },
  {
    name: 'PostgreSQL',
    async env() {
      const schema = await createTestSchema();
      return { env: { DATABASE_URL: schema.url }, drop: () => schema.drop() };
    },
  },
];
