import cron from 'node-cron';
import type { Logger } from 'pino';
import { PassLockedError } from '../store/store.js';
import type { NormaliseJob } from './normalise-job.js';

export interface Scheduler {
  /** Runs a pass now (joining one that is already running), logged like a scheduled one. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs the job now and then on `expression`; a failing pass is logged and retried on the next tick. */
export function startScheduler(job: NormaliseJob, expression: string, log: Logger): Scheduler {
  const runLogged = async () => {
    try {
      const summary = await job.run();
      const { rejectedFiles, warnings, ...counts } = summary;
      log.info({ pass: counts }, 'normalise pass done');
      for (const file of rejectedFiles) log.warn({ file: file.path, reason: file.reason }, 'article rejected');
      for (const warning of warnings) log.warn({ file: warning.path }, warning.message);
    } catch (error) {
      if (error instanceof PassLockedError)
        log.info('another process is running the normalise pass; skipped this tick');
      else log.error({ err: error }, 'normalise pass failed; retrying on the next tick');
    }
  };
  const task = cron.schedule(expression, runLogged, { noOverlap: true, name: 'normalise' });
  void runLogged();
  return {
    runNow: runLogged,
    async stop() {
      await task.stop();
      await job.stop();
    },
  };
}
