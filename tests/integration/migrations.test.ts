import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { createMigrator, latestMigration, migrateToLatest } from '../../server/db/migrate';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

describe(`migrations on the ${testDatabaseKind()} database`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
  });

  it('reaches the latest migration and running them again changes nothing', async () => {
    const again = await migrateToLatest(database.db);
    expect(again.results).toEqual([]);
    const migrations = await createMigrator(database.db).getMigrations();
    expect(migrations.every((m) => m.executedAt instanceof Date)).toBe(true);
    expect(migrations.at(-1)!.name).toBe(latestMigration);
  });

  it('has PostGIS and the tables of every object', async () => {
    const { rows } = await sql<{ v: string }>`SELECT postgis_lib_version() AS v`.execute(database.db);
    expect(rows[0]!.v).toMatch(/^3\./);
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`.execute(database.db);
    const names = tables.rows.map((r) => r.table_name);
    for (const t of ['programme_goal', 'priority_area', 'objective', 'action_area', 'activity', 'activity_action_area', 'activity_goal', 'site', 'area_kind', 'area', 'import_source', 'raster_layer', 'link', 'indicator', 'measurement']) {
      expect(names).toContain(t);
    }
  });

  it('indexes area (its rows) and site geometry with GiST and types them in SRID 4326', async () => {
    const idx = await sql<{ indexname: string; indexdef: string }>`
      SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('area_row', 'site') AND indexdef ILIKE '%gist%'`.execute(database.db);
    expect(idx.rows.map((r) => r.indexname).sort()).toEqual(['area_geom_idx', 'site_geom_idx']);
    const cols = await sql<{ f_table_name: string; type: string; srid: number }>`
      SELECT f_table_name, type, srid FROM geometry_columns WHERE f_table_name IN ('area', 'site') ORDER BY f_table_name`.execute(database.db);
    expect(cols.rows).toEqual([
      { f_table_name: 'area', type: 'MULTIPOLYGON', srid: 4326 },
      { f_table_name: 'site', type: 'GEOMETRY', srid: 4326 },
    ]);
  });

  it('seeds the four area kinds, with a wider link distance for watersheds', async () => {
    const kinds = await database.db.selectFrom('area_kind').select(['code', 'link_distance_m']).orderBy('code').execute();
    expect(kinds).toEqual([
      { code: 'forest_concession', link_distance_m: 5000 },
      { code: 'glacier_highland', link_distance_m: 5000 },
      { code: 'protected_area', link_distance_m: 5000 },
      { code: 'watershed', link_distance_m: 10000 },
    ]);
  });

  it('refuses an area geometry that is not a valid multipolygon', async () => {
    await expect(
      sql`INSERT INTO area (kind, source_id, name, geom, area_ha)
          VALUES ('protected_area', 'bowtie', 'Bow tie', ST_GeomFromText('MULTIPOLYGON(((0 0, 1 1, 1 0, 0 1, 0 0)))', 4326), 1)`.execute(database.db),
    ).rejects.toThrow(/check constraint/i);
  });
});
