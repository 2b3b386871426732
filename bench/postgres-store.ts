import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { BenchStore } from './scale-bench.js';

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Scale rows on PostgreSQL: each size in a schema of its own on `serverUrl`, dropped afterwards; two replicas. */
export function postgresBenchStore(serverUrl: string): BenchStore {
  return {
    name: 'PostgreSQL',
    replicas: 2,
    async create() {
      const schema = `feed_bench_${randomBytes(6).toString('hex')}`;
      await onServer(serverUrl, `CREATE SCHEMA ${schema}`);
      const url = new URL(serverUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return { url: url.toString(), dispose: () => onServer(serverUrl, `DROP SCHEMA ${schema} CASCADE`) };
    },
  };
}
