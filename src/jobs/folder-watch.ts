import fs from 'node:fs';
import path from 'node:path';

/**
 * What a FolderWatch reports: a changed path (relative, "/"-separated; null when the platform cannot say which, so
 * the whole folder is to be looked at), or a failure after which events may be missed.
 */
export interface FolderWatchEvents {
  changed(relative: string | null): void;
  failed(error: Error): void;
}

const isHidden = (name: string) => name.startsWith('.');

/**
 * A recursive watch of a folder made of one watch per folder (inotify on Linux). Node 20's own recursive
 * fs.watch on Linux watches, and keeps the stats of, every file: at a million articles that is a million inotify
 * watches (past the kernel's limit) and several hundred megabytes, built synchronously on the serving thread.
 * A watch on a folder already reports every file created, written, renamed or deleted in it; folders created
 * later are watched as they appear, and those removed are let go. Hidden folders and symlinked folders are not
 * watched, as the pass does not walk them.
 */
export class FolderWatch {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly events: FolderWatchEvents,
  ) {}

  /** Watches the root at once (throwing if it cannot), then its folders, walked without blocking the thread. */
  async start(): Promise<void> {
    this.watch('');
    await this.watchFoldersUnder('');
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private absolute(relative: string): string {
    return relative === '' ? this.root : path.join(this.root, relative);
  }

  private watch(relative: string): void {
    if (this.closed || this.watchers.has(relative)) return;
    const watcher = fs.watch(this.absolute(relative), { persistent: false }, (event, name) => {
      if (name === null) {
        this.events.changed(relative === '' ? null : relative);
        return;
      }
      const child = relative === '' ? name : `${relative}/${name}`;
      this.events.changed(child);
      if (event === 'rename') this.followRename(child, name);
    });
    watcher.on('error', (error) => {
      // A watched folder that is deleted may report an error on some platforms; the parent's event already said so.
      if (relative !== '' && !fs.existsSync(this.absolute(relative))) this.unwatchUnder(relative);
      else this.events.failed(error);
    });
    this.watchers.set(relative, watcher);
  }

  /** A name appeared or went: a new folder (with whatever it already holds) is watched, a gone one let go. */
  private followRename(relative: string, name: string): void {
    const stats = fs.lstatSync(this.absolute(relative), { throwIfNoEntry: false });
    if (!stats) this.unwatchUnder(relative);
    else if (stats.isDirectory() && !isHidden(name))
      this.watchFoldersBelow(relative).catch((error: unknown) => this.events.failed(error as Error));
  }

  private async watchFoldersBelow(relative: string): Promise<void> {
    this.watch(relative);
    await this.watchFoldersUnder(relative);
  }

  private async watchFoldersUnder(relative: string): Promise<void> {
    const entries = await fs.promises.readdir(this.absolute(relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries)
      if (entry.isDirectory() && !isHidden(entry.name))
        await this.watchFoldersBelow(relative === '' ? entry.name : `${relative}/${entry.name}`);
  }

  private unwatchUnder(relative: string): void {
    for (const [folder, watcher] of this.watchers)
      if (folder === relative || folder.startsWith(`${relative}/`)) {
        watcher.close();
        this.watchers.delete(folder);
      }
  }
}
