import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

/** An error whose message is safe to show the client, with the status it maps to. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what = 'Not found') => new HttpError(404, what);
export const badRequest = (why: string) => new HttpError(400, why);

/** Known paths asked with a method they do not take: 405 and the methods they do. */
export const methodNotAllowed: RequestHandler = (_req, res) => {
  res
    .status(405)
    .set('Allow', 'GET, HEAD')
    .type('text/plain; charset=utf-8')
    .send('Method not allowed: use GET or HEAD\n');
};

/** Unknown paths: a short 404. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

/** The one place errors become responses: a short text, never a stack trace or a file path. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = error instanceof HttpError ? error.status : httpStatusOf(error);
    if (status >= 500) log.error({ err: error }, 'request failed');
    const message =
      error instanceof HttpError ? error.message : status >= 500 ? 'Internal server error' : 'Bad request';
    res.status(status).type('text/plain; charset=utf-8').send(`${message}\n`);
  };
}

// body-parser, URI decoding and friends throw errors carrying a 4xx `status`; honour those, nothing else.
function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}
