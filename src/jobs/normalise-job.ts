import { scanArticles } from '../articles/scan.js';
import { toRfc3339 } from '../articles/dates.js';
import type { Config } from '../config.js';
import type { PassSummary, Store } from '../store/store.js';
import { planPass } from './plan-pass.js';

export interface JobDeps {
  readonly store: Store;
  readonly config: Config;
  readonly now?: () => Date;
  /** Called after a pass commits, with the store version it left. */
  readonly onCommit?: (version: number, summary: PassSummary) => void;
}

/** One pass: scan ARTICLES_DIR, plan the writes, commit them in one transaction. Article files are only read. */
export async function runNormalisePass(deps: JobDeps): Promise<PassSummary> {
  const now = deps.now ?? (() => new Date());
  const startedAt = toRfc3339(now());
  const scanned = await scanArticles(deps.config.articlesDir, deps.config.maxArticleBytes);
  const known = await deps.store.listSourceFiles();
  const changes = planPass(scanned, known, {
    now: toRfc3339(now()),
    startedAt,
    language: deps.config.siteLanguage,
    defaultAuthor: deps.config.siteAuthor,
  });
  const version = await deps.store.commitPass(changes);
  deps.onCommit?.(version, changes.summary);
  return changes.summary;
}

/** Runs passes one at a time: a pass requested while one is running joins the running one. */
export class NormaliseJob {
  private running: Promise<PassSummary> | undefined;
  /** Why the last pass failed, until a pass succeeds again. */
  lastError: { at: string; message: string } | undefined;

  constructor(private readonly deps: JobDeps) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  run(): Promise<PassSummary> {
    this.running ??= runNormalisePass(this.deps)
      .then(
        (summary) => {
          this.lastError = undefined;
          return summary;
        },
        (error: unknown) => {
          this.lastError = { at: toRfc3339(new Date()), message: error instanceof Error ? error.message : String(error) };
          throw error;
        },
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Resolves once no pass is running (used at shutdown). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
