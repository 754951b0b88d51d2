import type { ErrorCode } from './api';

/** Domain errors: services throw these, and one table maps them to HTTP statuses. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

export const httpStatusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  too_many_requests: 429,
  unsupported_media_type: 415,
  database_busy: 503,
  database_unavailable: 503,
  storage_unavailable: 503,
  unprocessable: 422,
  internal: 500,
};

/** Not signed in (or a bad token): 401. */
export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

/** Signed in, but not allowed to do this: 403. */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** The database cannot be reached (restarting, network cut, its thread died): 503, try again shortly. */
export class DatabaseUnavailableError extends AppError {
  constructor(message = 'The database is unavailable (restarting or unreachable); try again in a few seconds.', options?: ErrorOptions) {
    super('database_unavailable', message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** The raster object store (ATALAYA_RASTER_STORE) does not answer: 503, try again shortly. */
export class StorageUnavailableError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super('storage_unavailable', `The raster store is unavailable (${message}); try again in a few seconds.`, options);
  }
}
