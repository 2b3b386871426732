import type { ScopeVersion, Store, StoreChange } from '../store/store.js';

/**
 * What this process knows of each feed scope's version, shared by every edition: read from the store on first
 * use, then moved on by the changes the store's commit watch reports. Rendered feeds are cached under the
 * version they show, so a moved version is all it takes to stop serving the old bytes.
 */
export class ScopeVersions {
  private readonly known = new Map<string, ScopeVersion>();
  // Bumped by every change: a read that started before it may hold an older version and is not remembered.
  private generation = 0;

  constructor(private readonly store: Store) {}

  /** The version known now, without asking the store (the fast path's question). */
  current(scope: string): ScopeVersion | undefined {
    return this.known.get(scope);
  }

  async load(scope: string): Promise<ScopeVersion> {
    const known = this.known.get(scope);
    if (known) return known;
    const generation = this.generation;
    const read = await this.store.scopeVersion(scope);
    if (generation === this.generation && !this.known.has(scope)) this.known.set(scope, read);
    return read;
  }

  /** Takes in a change; returns the known scopes it moved, each with the version it had before. */
  apply(change: StoreChange): ReadonlyMap<string, ScopeVersion> {
    this.generation += 1;
    if (change.scopes === 'all') {
      const before = new Map(this.known);
      this.known.clear();
      return before;
    }
    const moved = new Map<string, ScopeVersion>();
    for (const [scope, at] of change.scopes) {
      const before = this.known.get(scope);
      if (!before || at.version <= before.version) continue;
      moved.set(scope, before);
      this.known.set(scope, at);
    }
    return moved;
  }
}
