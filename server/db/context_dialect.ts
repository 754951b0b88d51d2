// Wraps a kysely dialect so that each connection, when handed out, carries the current request
// context as session settings (atalaya.actor, statement_timeout), written only when they differ from
// what that connection already has: they change with the user or between request and background
// work, not with every request, so most checkouts cost no extra round trip. A transaction also sets
// them locally, with the request id, for the audit rows it writes. Written here because kysely has no hook on
// connection checkout, and the audit log must not depend on every service remembering to say who.
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from 'kysely';
import { currentContext } from '../request_context';
import { RequestsFirst } from './requests_first';

const applied = new WeakMap<DatabaseConnection, string>();
const inTransaction = new WeakSet<DatabaseConnection>();
const EMPTY_KEY = ['', '', '0'].join('\u0000');
const SESSION_SETTINGS = "SELECT set_config('atalaya.actor', $1, false), set_config('atalaya.actor_name', $2, false), set_config('statement_timeout', $3, false)";
const LOCAL_SETTINGS = "SELECT set_config('atalaya.actor', $1, true), set_config('atalaya.actor_name', $2, true), set_config('statement_timeout', $3, true), set_config('atalaya.request_id', $4, true)";

function settingsOf(): { key: string; values: string[]; requestId: string } {
  const c = currentContext();
  const values = [String(c?.userId ?? ''), c?.actorName ?? '', String(c?.statementTimeoutMs ?? 0)];
  return { key: values.join('\u0000'), values, requestId: c?.requestId ?? '' };
}

class ContextDriver implements Driver {
  private readonly order: RequestsFirst | undefined;

  constructor(private readonly inner: Driver, options: ContextDialectOptions) {
    this.order = options.requestsFirst ? new RequestsFirst() : undefined;
  }

  init(options?: Parameters<Driver['init']>[0]): Promise<void> {
    return this.inner.init(options);
  }

  async acquireConnection(options?: Parameters<Driver['acquireConnection']>[0]): Promise<DatabaseConnection> {
    const connection = this.order ? await this.order.acquire(() => this.inner.acquireConnection(options)) : await this.inner.acquireConnection(options);
    // The embedded database has one connection for every request, and a query made while another
    // request's transaction is open runs inside it: that transaction keeps its own settings.
    if (inTransaction.has(connection)) return connection;
    const { key, values } = settingsOf();
    if ((applied.get(connection) ?? EMPTY_KEY) !== key) {
      await connection.executeQuery(CompiledQuery.raw(SESSION_SETTINGS, values));
      applied.set(connection, key);
    }
    return connection;
  }

  /** A transaction carries its owner's settings for its whole length (SET LOCAL), whoever shares the connection. */
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.inner.beginTransaction(connection, settings);
    inTransaction.add(connection);
    const { values, requestId } = settingsOf();
    await connection.executeQuery(CompiledQuery.raw(LOCAL_SETTINGS, [...values, requestId]));
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

export interface ContextDialectOptions {
  /** Requests go before background work (for a single shared connection). */
  requestsFirst?: boolean;
}

export class ContextDialect implements Dialect {
  constructor(private readonly inner: Dialect, private readonly options: ContextDialectOptions = {}) {}
  createDriver(): Driver {
    return new ContextDriver(this.inner.createDriver(), this.options);
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

