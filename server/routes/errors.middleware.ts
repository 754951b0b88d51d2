import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '../api';
import { AppError, httpStatusByCode } from '../errors';
import { DatabaseBusyError } from '../db/embedded_lock';
import { isConnectionLoss } from '../db/connection_errors';

/** Unknown /api paths answer in the API's error shape rather than with the client's index.html. */
export const apiNotFound: RequestHandler = (req, res) => {
  const body: ErrorBody = {
    error: { code: 'not_found', message: `No API endpoint ${req.method} ${req.path}. See /api/health.` },
  };
  res.status(404).json(body);
};

/** Paths outside the API that nothing serves (no file of the client either). */
export const notFound: RequestHandler = (req, res) => {
  const body: ErrorBody = { error: { code: 'not_found', message: `Nothing at ${req.method} ${req.path}. The map is at /, the API at /api (see /api/docs).` } };
  res.status(404).json(body);
};

/** The one error handler: maps domain errors to statuses, logs 5xx with the request id, never sends a stack. */
export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  let status = 500;
  let body: ErrorBody = { error: { code: 'internal', message: 'Internal error; the server log has details under this request id.' } };
  if (err instanceof AppError) {
    status = httpStatusByCode[err.code];
    body = { error: { code: err.code, message: err.message } };
    if (status === 503) res.setHeader('Retry-After', '5');
  } else if (err instanceof DatabaseBusyError) {
    status = 503;
    body = { error: { code: 'database_busy', message: err.message } };
  } else if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '57014') {
    // statement_timeout (ATALAYA_STATEMENT_TIMEOUT_MS) stopped a query of this request.
    status = 503;
    body = { error: { code: 'database_busy', message: 'The database took too long on this request and stopped it; narrow it (a smaller bbox, fewer ids, a filter) and try again.' } };
  } else if (isConnectionLoss(err)) {
    status = 503;
    body = { error: { code: 'database_unavailable', message: 'The database is unavailable (restarting or unreachable); try again in a few seconds.' } };
    res.setHeader('Retry-After', '5');
  } else if (isBodyParserError(err)) {
    status = err.status;
    body = {
      error: {
        code: status === 413 ? 'payload_too_large' : 'bad_request',
        message: status === 413 ? 'Request body too large.' : `Malformed request body: ${err.message}`,
      },
    };
  }
  // Tile routes run before the request logger: their errors go to the app's logger.
  if (status >= 500) (req.log ?? (req.app.locals.log as typeof req.log | undefined))?.error({ err, url: req.url }, 'request failed');
  // A refused upload may still be streaming in: answer, then close the connection instead of reading it all.
  if (status === 413) res.setHeader('Connection', 'close');
  res.setHeader('X-Request-Id', String(req.id ?? ''));
  res.status(status).json(body);
};

function isBodyParserError(err: unknown): err is { status: number; message: string } {
  return typeof err === 'object' && err !== null && 'type' in err && 'status' in err && typeof (err as { status: unknown }).status === 'number';
}
