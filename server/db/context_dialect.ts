// Wraps a kysely dialect so that each connection, when handed out, carries the current request
// context as session settings (atalaya.actor, atalaya.request_id, statement_timeout). The settings
// are written only when they differ from what that connection already has, so reads outside any
// request (tiles, the public) cost no extra round trip. Written here because kysely has no hook on
// connection checkout, and the audit log must not depend on every service remembering to say who.
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from 'kysely';
import { currentContext } from './request_context';

const applied = new WeakMap<DatabaseConnection, string>();
const inTransaction = new WeakSet<DatabaseConnection>();
const EMPTY_KEY = ['', '', '', '0'].join('\u0000');
const SETTINGS = "SELECT set_config('atalaya.actor', $1, $5), set_config('atalaya.actor_name', $2, $5), set_config('atalaya.request_id', $3, $5), set_config('statement_timeout', $4, $5)";

function settingsOf(): { key: string; values: unknown[] } {
  const c = currentContext();
  const values = [String(c?.userId ?? ''), c?.actorName ?? '', c?.requestId ?? '', String(c?.statementTimeoutMs ?? 0)];
  return { key: values.join('\u0000'), values };
}

class ContextDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(options?: Parameters<Driver['init']>[0]): Promise<void> {
    return this.inner.init(options);
  }

  async acquireConnection(options?: Parameters<Driver['acquireConnection']>[0]): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection(options);
    // The embedded database has one connection for every request, and a query made while another
    // request's transaction is open runs inside it: that transaction keeps its own settings.
    if (inTransaction.has(connection)) return connection;
    const { key, values } = settingsOf();
    if ((applied.get(connection) ?? EMPTY_KEY) !== key) {
      await connection.executeQuery(CompiledQuery.raw(SETTINGS, [...values, false]));
      applied.set(connection, key);
    }
    return connection;
  }

  /** A transaction carries its owner's settings for its whole length (SET LOCAL), whoever shares the connection. */
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.inner.beginTransaction(connection, settings);
    inTransaction.add(connection);
    await connection.executeQuery(CompiledQuery.raw(SETTINGS, [...settingsOf().values, true]));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.commitTransaction(connection);
    } finally {
      inTransaction.delete(connection);
    }
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.rollbackTransaction(connection);
    } finally {
      inTransaction.delete(connection);
    }
  }
  releaseConnection(connection: DatabaseConnection, options?: Parameters<Driver['releaseConnection']>[1]): Promise<void> {
    return this.inner.releaseConnection(connection, options);
  }
  destroy(options?: Parameters<Driver['destroy']>[0]): Promise<void> {
    return this.inner.destroy(options);
  }
}

export class ContextDialect implements Dialect {
  constructor(private readonly inner: Dialect) {}
  createDriver(): Driver {
    return new ContextDriver(this.inner.createDriver());
  }
  createQueryCompiler() {
    return this.inner.createQueryCompiler();
  }
  createAdapter() {
    return this.inner.createAdapter();
  }
  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]) {
    return this.inner.createIntrospector(db);
  }
}

