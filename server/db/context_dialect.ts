// Wraps a kysely dialect so that each connection, when handed out, carries the current request
// context as session settings (atalaya.actor, atalaya.request_id, statement_timeout). The settings
// are written only when they differ from what that connection already has, so reads outside any
// request (tiles, the public) cost no extra round trip. Written here because kysely has no hook on
// connection checkout, and the audit log must not depend on every service remembering to say who.
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from 'kysely';
import { currentContext } from './request_context';

const applied = new WeakMap<DatabaseConnection, string>();

class ContextDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(options?: Parameters<Driver['init']>[0]): Promise<void> {
    return this.inner.init(options);
  }

  async acquireConnection(options?: Parameters<Driver['acquireConnection']>[0]): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection(options);
    const c = currentContext();
    const wanted = [c?.userId ?? '', c?.actorName ?? '', c?.requestId ?? '', c?.statementTimeoutMs ?? 0].join('\u0000');
    if ((applied.get(connection) ?? ['', '', '', 0].join('\u0000')) !== wanted) {
      await connection.executeQuery(CompiledQuery.raw(
        "SELECT set_config('atalaya.actor', $1, false), set_config('atalaya.actor_name', $2, false), set_config('atalaya.request_id', $3, false), set_config('statement_timeout', $4, false)",
        [String(c?.userId ?? ''), c?.actorName ?? '', c?.requestId ?? '', String(c?.statementTimeoutMs ?? 0)],
      ));
      applied.set(connection, wanted);
    }
    return connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
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
