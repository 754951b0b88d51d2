import path from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import { redactUrl } from '../config';
import { ContextDialect } from './context_dialect';
import { acquireEmbeddedLock, type EmbeddedLock } from './embedded_lock';
import { RemotePGlite } from './embedded/remote_pglite';
import { markSingleConnection } from './statement_rows';
import type { Database } from './schema';

export type DatabaseKind = 'embedded' | 'server';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** Where the data lives: a folder for the embedded database, a redacted URL for a server. */
  readonly location: string;
  /** Records where this process serves HTTP, so a blocked CLI can point the user to it. */
  announce(url: string): void;
  close(): Promise<void>;
}

// PostgreSQL int8 and numeric come back as strings by default; counts here fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface OpenOptions {
  /** Recorded in the embedded lock file so that a blocked process can say who holds it. */
  purpose: string;
  /** Overrides the folder of the embedded cluster (tests use a fresh one, or memory://). */
  embeddedDir?: string;
  /** Told when a server connection breaks (the pool recovers by itself); the server logs it. */
  onConnectionError?: (err: Error) => void;
}

/** Opens the configured database: a PostGIS server when DATABASE_URL is set, else the embedded one. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>,
  options: OpenOptions,
): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openServer(config.databaseUrl, config.databasePoolSize, options.onConnectionError ?? (() => undefined));
  return openEmbedded(options.embeddedDir ?? path.join(config.dataDir, 'pgdata'), options.purpose);
}

/**
 * A pool that outlives its server: a backend killed, a restart or a network cut makes the clients
 * emit 'error' (idle or checked out), which without a listener would end the process. They are
 * logged; pg-pool drops a broken client when it is released and opens new ones on demand, so once
 * PostgreSQL is back the next request reconnects. Meanwhile queries fail with connection errors,
 * which the error middleware answers as 503.
 */
function resilientPool(url: string, poolSize: number, onError: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  pool.on('error', onError); // an idle client lost its connection
  pool.on('connect', (client) => client.on('error', onError)); // a checked-out one did
  return pool;
}

async function openServer(url: string, poolSize: number, onError: (err: Error) => void): Promise<DatabaseHandle> {
  const pool = resilientPool(url, poolSize, onError);
  const db = new Kysely<Database>({ dialect: new ContextDialect(new PostgresDialect({ pool })) });
  try {
    await sql`SELECT 1`.execute(db);
  } catch (e) {
    await db.destroy();
    throw new Error(`Cannot connect to DATABASE_URL ${redactUrl(url)}: ${(e as Error).message}`, { cause: e });
  }
  return {
    db,
    kind: 'server',
    location: redactUrl(url),
    announce: () => undefined,
    close: () => db.destroy(),
  };
}

async function openEmbedded(dir: string, purpose: string): Promise<DatabaseHandle> {
  const inMemory = dir.startsWith('memory://');
  const lock: EmbeddedLock | undefined = inMemory ? undefined : acquireEmbeddedLock(path.dirname(dir), purpose);
  try {
    // PGlite runs on its own thread, so no query can block HTTP, tiles or health checks; the
    // 30 MB WebAssembly build loads there, and never in a server deployment.
    const pglite = await RemotePGlite.create(dir);
    const db = new Kysely<Database>({ dialect: new ContextDialect(new PGliteDialect({ pglite }), { requestsFirst: true }) });
    markSingleConnection(db);
    return {
      db,
      kind: 'embedded',
      location: dir,
      announce: (url) => lock?.update({ url }),
      async close() {
        try {
          await db.destroy(); // closes PGlite, which flushes the cluster to its folder
        } finally {
          lock?.release();
        }
      },
    };
  } catch (e) {
    lock?.release();
    throw e;
  }
}
