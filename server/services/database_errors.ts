// What the error middleware must recognise of the database's failures: a lost connection (503, the
// pool reconnects) and an embedded folder another process holds (409), without routes reaching into db/.
export { isConnectionLoss } from '../db/connection_errors';
export { DatabaseBusyError } from '../db/embedded_lock';
