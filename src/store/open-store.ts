import { PostgresStore } from './postgres/store.js';
import { SqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

/** Opens the store DATABASE_URL names: sqlite:relative/or/absolute/path.db, or postgres://… (postgresql://…). */
export function openStore(databaseUrl: string): Store {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return new PostgresStore(databaseUrl);
  const match = /^sqlite:(.+)$/.exec(databaseUrl);
  if (!match?.[1]) throw new Error(`Unsupported DATABASE_URL: ${databaseUrl}`);
  return new SqliteStore(match[1]);
}
