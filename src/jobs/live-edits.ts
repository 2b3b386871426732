import type { Logger } from 'pino';
import { PassLockedError } from '../store/store.js';
import { FolderWatch } from './folder-watch.js';
import type { NormaliseJob } from './normalise-job.js';

/** Events are gathered until the folder has been quiet this long, so a sync writing 500 files makes a few passes. */
const QUIET_MS = 150;
/** …but a steady stream of writes still publishes at least this often. */
const MAX_WAIT_MS = 1000;

export interface LiveEdits {
  /** Whether file events are being received; false once the watcher failed (the scheduled passes still run). */
  readonly active: boolean;
  readonly problem: string | undefined;
  /** Settles once every folder present at the start is watched (or watching failed). */
  readonly ready: Promise<void>;
  stop(): void;
}

/**
 * Publishes edits as they land: a watch of every folder of ARTICLES_DIR (see FolderWatch; no native addon to
 * build) turns file events into small passes over the changed paths only, through the same job, rules and commit
 * path as a full pass. Events can be lost (inotify overflow, network file systems, changes made while the server
 * was down): the scheduled full pass is the reconciliation that repairs whatever was missed.
 */
export function startLiveEdits(job: NormaliseJob, articlesDir: string, log: Logger): LiveEdits {
  let pending = new Set<string>();
  let quiet: NodeJS.Timeout | undefined;
  let firstEventAt: number | undefined;
  let everything = false;
  const state = { active: true, problem: undefined as string | undefined };

  const publish = () => {
    quiet = undefined;
    firstEventAt = undefined;
    const paths = [...pending];
    pending = new Set();
    const full = everything;
    everything = false;
    const pass = full ? job.run() : job.runPaths(paths);
    pass.then(
      (summary) => {
        const { rejectedFiles, warnings, ...counts } = summary;
        log.info({ pass: counts, paths: paths.length, full }, 'live edit published');
        for (const file of rejectedFiles) log.warn({ file: file.path, reason: file.reason }, 'article rejected');
        for (const warning of warnings) log.warn({ file: warning.path }, warning.message);
      },
      (error: unknown) => {
        if (error instanceof PassLockedError)
          log.info('another process is running the normalise pass; it will publish the edit');
        else log.error({ err: error }, 'live edit pass failed; the next scheduled pass retries');
      },
    );
  };
  const changed = (relative: string | null) => {
    if (relative === null) everything = true;
    else pending.add(relative);
    firstEventAt ??= Date.now();
    clearTimeout(quiet);
    quiet = setTimeout(publish, Date.now() - firstEventAt >= MAX_WAIT_MS ? 0 : QUIET_MS);
  };
  const stop = (problem: string | undefined) => {
    if (!state.active) return;
    state.active = false;
    state.problem = problem;
    if (problem) log.warn(problem);
    clearTimeout(quiet);
    watch.close();
  };
  const watch = new FolderWatch(articlesDir, {
    changed,
    failed: (error) =>
      stop(`watching ${articlesDir} stopped (${error.message}); edits are published by the scheduled passes`),
  });
  const ready = watch
    .start()
    .catch((error: unknown) =>
      stop(
        `watching ${articlesDir} is not possible (${error instanceof Error ? error.message : String(error)}); edits are published by the scheduled passes`,
      ),
    );
  return {
    get active() {
      return state.active;
    },
    get problem() {
      return state.problem;
    },
    ready,
    stop: () => stop(undefined),
  };
}
