import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '../api';
import { AppError, DatabaseUnavailableError, httpStatusByCode } from '../errors';
import { DatabaseBusyError, isConnectionLoss } from '../services/database_errors';

/**
 * Paths nothing serves answer in the API's error shape: under /api before the client's files (so
 * an unknown endpoint is never the client's index.html), and last for everything else.
 */
export const notFound: RequestHandler = (req, res) => {
  const body: ErrorBody = { error: { code: 'not_found', message: `Nothing at ${req.method} ${req.originalUrl.split('?')[0]}. The map is at /, the API at /api (see /api/docs).` } };
  res.status(404).json(body);
};

/** The one error handler: maps domain errors to statuses, logs 5xx with the request id, never sends a stack. */
export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  // A lost connection (a restart, a killed backend, a network cut) is the database being away.
  if (!(err instanceof AppError) && isConnectionLoss(err)) err = new DatabaseUnavailableError(undefined, { cause: err });
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
