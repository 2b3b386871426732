import dotenv from 'dotenv';
import { ConfigError, loadConfig, type Config } from './config.js';

/** Reads `.env` (real environment variables win) and validates; exits with the message on a bad value. */
export function configFromEnvironment(): Config {
  dotenv.config({ quiet: true });
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(2);
  }
}
