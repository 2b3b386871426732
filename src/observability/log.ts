import { pino, type DestinationStream, type Logger } from 'pino';

// Credentials must never reach a log file, whichever code logs a request or response object.
const SECRET_PATHS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'].flatMap((header) => [
  `req.headers["${header}"]`,
  `res.headers["${header}"]`,
  `headers["${header}"]`,
]);

/** Structured JSON logs on stdout (or `destination`), with credentials in headers replaced by "[redacted]". */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: undefined, redact: { paths: SECRET_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
