import { createContext } from '../app-context.js';
import { configFromEnvironment } from '../load-env.js';

// One pass, its summary on stdout; exit 0 even when files were rejected, 1 only when the pass itself failed.
const config = configFromEnvironment();
const context = createContext(config, { passes: 'in-process' });
try {
  const summary = await context.job.run();
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} catch (error) {
  process.stderr.write(`Normalise pass failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await context.store.close();
}
