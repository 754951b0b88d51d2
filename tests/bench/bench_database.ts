// A throwaway database on the PostGIS server named by BENCH_DATABASE_URL (default: the local one),
// migrated and seeded, dropped by `drop()`.
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { seedWorkProgram } from '../../server/seed/workprogram';

export async function throwawayDatabase(prefix: string): Promise<{ url: string; name: string; database: DatabaseHandle; drop(): Promise<void> }> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `atalaya_bench_${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', databasePoolSize: 2 }, { purpose: 'bench' });
  await migrateToLatest(database.db);
  await seedWorkProgram(database.db);
  return {
    url: url.toString(),
    name,
    database,
    async drop() {
      await database.close().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    },
  };
}
