import { SqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

/** Opens the store DATABASE_URL names (sqlite:relative/or/absolute/path.db). */
export function openStore(databaseUrl: string): Store {
  const match = /^sqlite:(.+)$/.exec(databaseUrl);
  if (!match?.[1]) throw new Error(`Unsupported DATABASE_URL: ${databaseUrl}`);
  return new SqliteStore(match[1]);
}
