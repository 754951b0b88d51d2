// The main thread's handle on the embedded PostGIS thread, shaped like the part of PGlite that
// kysely's PGlite dialect uses (query, transaction, close). Written here because PGlite's own
// worker (`@electric-sql/pglite/worker`) is built on browser Web Workers and navigator.locks.
import type { Worker } from 'node:worker_threads';
import { workerThread } from '../../worker_threads';
import type { PGlite as KyselyPGlite, PGliteQueryOptions, PGliteQueryResults, PGliteTransaction } from 'kysely';
import { DatabaseUnavailableError } from '../../errors';
import type { FromWorker, QueryResult, SerialisedError, ToWorker, WorkerInit } from './protocol';

type Pending = { resolve: (r: QueryResult | undefined) => void; reject: (e: Error) => void };

function toError(e: SerialisedError): Error {
  const { message, ...fields } = e;
  return Object.assign(new Error(message), fields);
}

export class RemotePGlite implements KyselyPGlite {
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Bumped whenever the thread is replaced: a transaction begun on an older one cannot go on. */
  private generation = 0;
  private closing = false;
  closed = false;
  ready = false;
  readonly waitReady: Promise<void>;

  private constructor(private readonly dir: string) {
    this.waitReady = this.start().then(() => undefined);
  }

  /** Opens the cluster in `dir` (or memory://) on a new thread; resolves when it answers queries. */
  static async create(dir: string): Promise<RemotePGlite> {
    const remote = new RemotePGlite(dir);
    await remote.waitReady;
    return remote;
  }

  private start(): Promise<Worker> {
    if (this.starting) return this.starting;
    const worker = workerThread(import.meta.url, 'pglite_thread', { workerData: { dir: this.dir } satisfies WorkerInit });
    this.starting = new Promise<Worker>((resolve, reject) => {
      const onFirst = (m: FromWorker) => {
        if (m.type === 'ready') {
          worker.off('message', onFirst);
          worker.on('message', (msg: FromWorker) => this.onMessage(msg));
          this.worker = worker;
          this.ready = true;
          resolve(worker);
        } else if (m.type === 'failed') {
          reject(toError(m.error));
          void worker.terminate();
        }
      };
      worker.on('message', onFirst);
      worker.once('error', (e) => {
        reject(e);
        this.lost(e);
      });
      worker.once('exit', (code) => {
        reject(new Error(`the embedded database thread exited with code ${code} while opening`));
        this.lost(new Error(`the embedded database thread exited with code ${code}`));
      });
    });
    this.starting.catch(() => (this.starting = undefined));
    return this.starting;
  }

  /** The thread died (a WebAssembly trap, out of memory): every waiting query fails with a 503, the next one starts a new thread. */
  private lost(cause: Error): void {
    if (this.worker === undefined && this.starting === undefined) return;
    this.worker = undefined;
    this.starting = undefined;
    this.ready = false;
    this.generation++;
    const error = this.closing ? new Error('The embedded database is closed.') : new DatabaseUnavailableError(undefined, { cause });
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ready' || m.type === 'failed') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'error') p.reject(toError(m.error));
    else p.resolve(m.type === 'result' ? m.result : undefined);
  }

  private async send(message: Omit<Extract<ToWorker, { type: 'query' }>, 'id'> | { type: 'close' }): Promise<QueryResult | undefined> {
    if (this.closed) throw new Error('The embedded database is closed.');
    const worker = this.worker ?? (await this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id } as ToWorker);
    });
  }

  async query<T>(query: string, params: unknown[] = [], _options?: PGliteQueryOptions): Promise<PGliteQueryResults<T>> {
    const r = (await this.send({ type: 'query', sql: query, params })) as QueryResult;
    return { rows: r.rows as T[], fields: r.fields, ...(r.affectedRows !== undefined ? { affectedRows: r.affectedRows } : {}) };
  }

  /**
   * BEGIN, the callback's queries, then COMMIT (ROLLBACK when it throws). Exclusive use of the one
   * session is kysely's: its single-connection provider lets nothing else in until the end.
   */
  async transaction<T>(callback: (tx: PGliteTransaction) => Promise<T>): Promise<T> {
    await this.query('BEGIN');
    const generation = this.generation;
    const tx: PGliteTransaction = {
      query: <R>(q: string, p?: unknown[]) => {
        if (this.generation !== generation) return Promise.reject(new DatabaseUnavailableError('The embedded database restarted during this transaction; nothing of it was kept. Try again.'));
        return this.query<R>(q, p);
      },
      rollback: async () => {
        await this.query('ROLLBACK');
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (e) {
      if (this.generation === generation) await this.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    if (this.generation !== generation) throw new DatabaseUnavailableError('The embedded database restarted during this transaction; nothing of it was kept. Try again.');
    await this.query('COMMIT');
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    try {
      if (this.worker || this.starting) await this.send({ type: 'close' });
    } finally {
      this.closed = true;
      const w = this.worker;
      this.worker = undefined;
      this.starting = undefined;
      await w?.terminate();
    }
  }
}
