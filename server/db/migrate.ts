import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import * as m0001 from './migrations/2026_11_25_0001_postgis';
import * as m0002 from './migrations/2026_11_25_0002_core_schema';
import * as m0003 from './migrations/2026_11_25_0003_site_provenance';
import * as m0004 from './migrations/2026_11_25_0004_links';
import * as m0005 from './migrations/2026_11_25_0005_loss_statistics';
import * as m0006 from './migrations/2026_11_26_0006_concession_review';
import * as m0007 from './migrations/2026_11_26_0007_indicator_history';
import * as m0008 from './migrations/2026_11_26_0008_vector_tiles';
import * as m0009 from './migrations/2026_11_26_0009_accounts_audit';
import * as m0010 from './migrations/2026_11_30_0010_import_staging';
import * as m0011 from './migrations/2026_11_30_0011_pending_areas';
import * as m0012 from './migrations/2026_11_30_0012_spanish_text';
import * as m0013 from './migrations/2026_11_30_0013_source_fetch';
import * as m0014 from './migrations/2026_12_01_0014_context_points';
import * as m0015 from './migrations/2026_12_01_0015_alert_layers';
import * as m0016 from './migrations/2026_12_01_0016_alert_statistics';
import * as m0017 from './migrations/2026_12_01_0017_vector_alerts';
import * as m0018 from './migrations/2026_12_01_0018_alert_subscriptions';
import * as m0019 from './migrations/2026_12_01_0019_area_packages';
import * as m0020 from './migrations/2026_12_02_0020_field_reports';
import * as m0021 from './migrations/2026_12_02_0021_job_parts';
import * as m0022 from './migrations/2026_12_02_0022_rate_limits';

// A static list rather than a folder scan: it works the same under tsx, vitest and a bundler,
// and a migration that is not listed here cannot run by accident.
const migrations: Record<string, Migration> = {
  '2026_11_25_0001_postgis': m0001,
  '2026_11_25_0002_core_schema': m0002,
  '2026_11_25_0003_site_provenance': m0003,
  '2026_11_25_0004_links': m0004,
  '2026_11_25_0005_loss_statistics': m0005,
  '2026_11_26_0006_concession_review': m0006,
  '2026_11_26_0007_indicator_history': m0007,
  '2026_11_26_0008_vector_tiles': m0008,
  '2026_11_26_0009_accounts_audit': m0009,
  '2026_11_30_0010_import_staging': m0010,
  '2026_11_30_0011_pending_areas': m0011,
  '2026_11_30_0012_spanish_text': m0012,
  '2026_11_30_0013_source_fetch': m0013,
  '2026_12_01_0014_context_points': m0014,
  '2026_12_01_0015_alert_layers': m0015,
  '2026_12_01_0016_alert_statistics': m0016,
  '2026_12_01_0017_vector_alerts': m0017,
  '2026_12_01_0018_alert_subscriptions': m0018,
  '2026_12_01_0019_area_packages': m0019,
  '2026_12_02_0020_field_reports': m0020,
  '2026_12_02_0021_job_parts': m0021,
  '2026_12_02_0022_rate_limits': m0022,
};

export const latestMigration = Object.keys(migrations).sort().at(-1)!;

// Migrations run before (and change) the schema the Database type describes: they take any Kysely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed} failed: ${cause}`, { cause: result.error });
  }
  return result;
}
