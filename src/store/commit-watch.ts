import type { CommitWatch, Store, StoreChange } from './store.js';

/**
 * Learns of commits by reading the store's version, a one-row read, every `intervalMs` and whenever `check` is
 * called; when it moved, reads which scopes moved since the version seen last and tells `listener`. Works for any
 * process sharing the database, whoever committed. Checks never overlap: a check asked for while one runs is
 * queued once, so it still sees every commit made before it was asked for.
 */
export function pollCommits(
  store: Pick<Store, 'version' | 'changesSince'>,
  listener: (change: StoreChange) => void,
  intervalMs: number,
  onError: (error: unknown) => void = () => undefined,
): CommitWatch {
  let seen: number | undefined;
  const checkOnce = async () => {
    const version = await store.version();
    if (version === seen) return;
    // The first check cannot know what was read before it, and a version that went backwards means another
    // database file or a restored backup: in both cases nothing read before may be trusted.
    const change: StoreChange =
      seen === undefined || version < seen ? { version, scopes: 'all' } : await store.changesSince(seen);
    seen = change.version;
    listener(change);
  };
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  const check = () => {
    queued ??= tail.then(() => {
      queued = undefined;
      return checkOnce();
    });
    tail = queued.catch(() => undefined);
    return queued;
  };
  const timer = setInterval(() => void check().catch(onError), intervalMs);
  timer.unref();
  void check().catch(onError);
  return {
    check,
    stop: () => clearInterval(timer),
  };
}
