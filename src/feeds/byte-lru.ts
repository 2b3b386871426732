/** How much an entry is worth keeping: `polled` entries are evicted only once no `ordinary` entry is left. */
export type Retention = 'polled' | 'ordinary';

interface Slot<V> {
  readonly value: V;
  readonly bytes: number;
}

/**
 * A least-recently-used map bounded by the bytes of its values, in two segments: entries that pollers keep asking
 * for (each feed's default page) and everything else (other pages and limits, which any client can ask for in
 * endless variety). Eviction takes the least recently used ordinary entry first, and a polled one only when no
 * ordinary entry is left, so a client walking through `?page=&limit=` can push out only its own kind.
 */
export class ByteLru<V> {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used first.
  private readonly segments: Record<Retention, Map<string, Slot<V>>> = { polled: new Map(), ordinary: new Map() };
  private total = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held now; never above maxBytes once `set` returns. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.segments.polled.size + this.segments.ordinary.size;
  }

  /** The value, marked as just used. */
  get(key: string): V | undefined {
    for (const segment of Object.values(this.segments)) {
      const slot = segment.get(key);
      if (slot) {
        segment.delete(key);
        segment.set(key, slot);
        return slot.value;
      }
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.segments.polled.has(key) || this.segments.ordinary.has(key);
  }

  /** Stores a value unless it alone is larger than the whole bound, then evicts down to the bound. */
  set(key: string, value: V, bytes: number, retention: Retention): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.segments[retention].set(key, { value, bytes });
    this.total += bytes;
    this.evict();
  }

  delete(key: string): void {
    for (const segment of Object.values(this.segments)) {
      const slot = segment.get(key);
      if (slot) {
        segment.delete(key);
        this.total -= slot.bytes;
      }
    }
  }

  clear(): void {
    for (const segment of Object.values(this.segments)) segment.clear();
    this.total = 0;
  }

  private evict(): void {
    for (const segment of [this.segments.ordinary, this.segments.polled])
      for (const [key, slot] of segment) {
        if (this.total <= this.maxBytes) return;
        segment.delete(key);
        this.total -= slot.bytes;
      }
  }
}
