import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export interface DatabaseVersions {
  postgres: string;
  postgis: string;
  migration: string | null;
}

/** Versions of PostgreSQL and PostGIS and the last migration applied (null before the first). */
export async function readDatabaseVersions(db: Kysely<Database>): Promise<DatabaseVersions> {
  const versions = await sql<{ postgres: string; postgis: string }>`
    SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis`.execute(db);
  let migration: string | null;
  try {
    const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1`.execute(db);
    migration = rows.rows[0]?.name ?? null;
  } catch {
    migration = null; // no migration table yet
  }
  const row = versions.rows[0]!;
  return { postgres: row.postgres, postgis: row.postgis, migration };
}

/** Whether this PostGIS can build vector tiles itself (ST_AsMVT needs protobuf-c; PGlite's lacks it). */
export async function probeMvtSupport(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`SELECT ST_AsMVT(q) FROM (SELECT 1 AS a, ST_AsMVTGeom(ST_Point(1, 1), ST_MakeEnvelope(0, 0, 10, 10)) AS g) q`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** One round trip to the database. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
