import type { Health } from '../api';
import type { DatabaseHandle } from '../db/database';
import { latestMigration } from '../db/migrate';
import { probeMvtSupport, readDatabaseVersions } from '../db/repositories/health.repository';

/** What the server runs on: database kind, PostgreSQL/PostGIS versions, migration level. */
export async function getHealth(database: DatabaseHandle): Promise<Health> {
  const [versions, mvt] = await Promise.all([readDatabaseVersions(database.db), probeMvtSupport(database.db)]);
  return {
    status: 'ok',
    database: { kind: database.kind, ...versions, latestMigration, mvt },
  };
}
