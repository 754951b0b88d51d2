// Which database errors mean "the database went away" (a restart, a crash, a network cut, its
// thread died) rather than "this query is wrong": those answer 503 and the pool reconnects.

/** SQLSTATE classes and codes of a lost or refused connection. */
const LOST_SQLSTATE = /^(08|57P0[1-4]|53300)/; // connection exception, admin/crash shutdown, cannot connect now, too many connections
const LOST_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const LOST_MESSAGE = /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down|in recovery mode)/i;

export function isConnectionLoss(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, name } = err as { code?: unknown; message?: unknown; name?: unknown };
  if (name === 'DatabaseUnavailableError') return true;
  if (typeof code === 'string' && (LOST_SQLSTATE.test(code) || LOST_ERRNO.has(code))) return true;
  if (typeof message === 'string' && LOST_MESSAGE.test(message)) return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isConnectionLoss(cause);
}
