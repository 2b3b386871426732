import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { changedCacheKeys } from '../feeds/cdn-keys.js';
import { resolveArticlesDir, runNormalisePass } from '../jobs/normalise-pass.js';
import { cdnPurger } from '../push/cdn-purge.js';
import { configFromEnvironment } from '../load-env.js';
import { openStore } from '../store/open-store.js';
import { PassLockedError, type Store } from '../store/store.js';

const USAGE = 'Usage: npm run normalise [-- --allow-mass-retract]\n';

function readOptions(): { allowMassRetract: boolean } {
  try {
    const { values } = parseArgs({ options: { 'allow-mass-retract': { type: 'boolean', default: false } } });
    return { allowMassRetract: values['allow-mass-retract'] };
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

// One pass on this thread, its summary on stdout (logs on stderr); exit 0 even when files were rejected,
// 1 only when the pass itself failed (a missing folder, a refused mass retraction, an unwritable store).
const options = readOptions();
const environment = configFromEnvironment();
const config = options.allowMassRetract ? { ...environment, allowMassRetract: true } : environment;
const log = pino({ level: config.logLevel, base: undefined }, pino.destination(2));
let store: Store | undefined;
// A commit made here purges the CDN like a server's; the CLI waits (bounded by the retries) until it is sent.
const purger = cdnPurger(config, log);
let purged: Promise<void> = Promise.resolve();
try {
  // Before the store is opened, so a mistyped ARTICLES_DIR does not leave a new, empty database file behind.
  await resolveArticlesDir(config.articlesDir);
  store = openStore(config.databaseUrl);
  const summary = await runNormalisePass({
    store,
    config,
    onStart: () => log.debug('normalise pass writing'),
    onCommit: (result) => {
      if (purger) purged = purger.purge(changedCacheKeys(result));
    },
  });
  await purged;
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} catch (error) {
  if (error instanceof PassLockedError) {
    process.stderr.write(`Normalise pass skipped: ${error.message}\n`);
    // EX_TEMPFAIL: nothing is wrong, try again later.
    process.exitCode = 75;
  } else {
    process.stderr.write(`Normalise pass failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
} finally {
  await store?.close();
}
