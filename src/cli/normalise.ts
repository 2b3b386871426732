import { pino } from 'pino';
import { runNormalisePass } from '../jobs/normalise-pass.js';
import { configFromEnvironment } from '../load-env.js';
import { openStore } from '../store/open-store.js';

// One pass on this thread, its summary on stdout (logs on stderr); exit 0 even when files were rejected,
// 1 only when the pass itself failed.
const config = configFromEnvironment();
const log = pino({ level: config.logLevel, base: undefined }, pino.destination(2));
const store = openStore(config.databaseUrl);
try {
  const summary = await runNormalisePass({ store, config, onStart: (files) => log.debug({ files }, 'normalise pass writing') });
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} catch (error) {
  process.stderr.write(`Normalise pass failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await store.close();
}
