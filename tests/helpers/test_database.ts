// One database per test worker, created and migrated once (the embedded PostGIS takes seconds to
// start, so it must not be paid per test or per file: vitest runs with isolate: false).
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { seedWorkProgram } from '../../server/seed/workprogram';
import { seedCountryBoundary } from '../../server/seed/country_boundary';

const KEY = Symbol.for('atalaya.testDatabase');
type Holder = { [KEY]?: Promise<DatabaseHandle> };

export function testDatabaseKind(): 'embedded' | 'server' {
  return inject('testDatabase') ? 'server' : 'embedded';
}

/** A new, empty database on the PostGIS server (dropped first if it exists); its URL. */
export async function createServerDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function open(): Promise<DatabaseHandle> {
  const target = inject('testDatabase');
  const worker = process.env.VITEST_POOL_ID ?? '0';
  const handle = target
    ? await openDatabase(
        { databaseUrl: await createServerDatabase(target.adminUrl, `${target.prefix}_${worker}`), dataDir: '', databasePoolSize: 4 },
        { purpose: 'tests' },
      )
    : await openDatabase({ databaseUrl: undefined, dataDir: '', databasePoolSize: 1 }, { purpose: 'tests', embeddedDir: 'memory://' });
  await migrateToLatest(handle.db);
  await seedWorkProgram(handle.db);
  await seedCountryBoundary(handle.db);
  return handle;
}

/** This worker's migrated, programme-seeded database. Never close it: it lives as long as the worker. */
export function getTestDatabase(): Promise<DatabaseHandle> {
  const holder = globalThis as Holder;
  holder[KEY] ??= open();
  return holder[KEY];
}

/** Empties every table but the programme, and puts the area kinds back as migrated, so a test file starts from a known state. */
export async function resetData(handle: DatabaseHandle): Promise<void> {
  await sql`TRUNCATE concession_review, job, loss_statistic, measurement, indicator, link, raster_layer, area_row, import_run, import_stage, import_stage_tile, import_source, site,
    activity_goal, activity_action_area, activity, audit_log, api_token, user_session, user_agency, app_user, agency, context_point, context_layer, alert_statistic, vector_alert, vector_alert_layer, alert_delivery, alert_digest_map, alert_digest, alert_seen, alert_subscription, alert_digest_setting, rate_limit RESTART IDENTITY CASCADE`.execute(handle.db);
  await sql`DELETE FROM area_kind WHERE code NOT IN ('protected_area', 'forest_concession', 'glacier_highland', 'watershed')`.execute(handle.db);
  await sql`UPDATE area_kind SET link_distance_m = CASE code WHEN 'watershed' THEN 10000 ELSE 5000 END`.execute(handle.db);
}
