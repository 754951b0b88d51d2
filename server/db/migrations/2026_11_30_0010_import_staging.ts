// Frozen migration: never edit once landed; add a new one instead.
// Imports stage their rows (parsed, repaired, reprojected, measured, generalised for tiles) in
// short statements outside any long transaction, publish them in one short transaction, then put
// their generalised tile outlines in place in short statements (a derived cache, like the tiles). The
// staging tables are UNLOGGED: what they hold is disposable, and after a crash PostgreSQL empties
// them, which is what an interrupted import should leave. import_run says which process owns a run,
// so a restarted server can drop the runs of processes that died.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE import_run (
      id text PRIMARY KEY,
      host text NOT NULL,
      pid integer NOT NULL,
      -- The area kind an area import writes to (null for sites).
      kind text,
      started_at timestamptz NOT NULL DEFAULT now(),
      -- Set in the publishing transaction: the rows are in; their tile outlines may not be yet.
      published_at timestamptz)`,
    sql`CREATE UNLOGGED TABLE import_stage (
      run_id text NOT NULL,
      idx integer NOT NULL,
      activity_id integer,
      source_id text NOT NULL,
      name text NOT NULL,
      properties jsonb NOT NULL,
      geom geometry(Geometry, 4326),
      area_ha double precision,
      writable boolean NOT NULL,
      PRIMARY KEY (run_id, idx))`,
    sql`CREATE UNLOGGED TABLE import_stage_tile (
      run_id text NOT NULL,
      idx integer NOT NULL,
      band smallint NOT NULL,
      geom geometry(Geometry, 3857) NOT NULL,
      PRIMARY KEY (run_id, idx, band))`,
    // The zoom bands of one outline, shared by the trigger path and the staging path.
    sql`CREATE FUNCTION atalaya_tile_bands(g geometry) RETURNS TABLE (band smallint, geom geometry) LANGUAGE sql IMMUTABLE AS $$
      SELECT b.band, s.g
      FROM (VALUES (0::smallint, 1223.0::float8), (1::smallint, 152.9::float8), (2::smallint, 38.2::float8), (3::smallint, 0.0::float8)) AS b(band, tol)
      CROSS JOIN LATERAL (SELECT CASE WHEN b.tol = 0 THEN ST_Transform(g, 3857) ELSE ST_SimplifyPreserveTopology(ST_Transform(g, 3857), b.tol) END AS g) s
      WHERE s.g IS NOT NULL AND NOT ST_IsEmpty(s.g)
    $$`,
    sql`CREATE OR REPLACE FUNCTION atalaya_generalise_areas(p_ids integer[]) RETURNS void LANGUAGE sql AS $$
      DELETE FROM area_tile_geom WHERE area_id = ANY(p_ids);
      INSERT INTO area_tile_geom (area_id, band, geom)
      SELECT a.id, t.band, t.geom FROM area a CROSS JOIN LATERAL atalaya_tile_bands(a.geom) t WHERE a.id = ANY(p_ids);
    $$`,
    // A publishing import brings its outlines already generalised (atalaya.staged_tiles = on).
    sql`CREATE OR REPLACE FUNCTION atalaya_area_tiles_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('atalaya.staged_tiles', true), '') <> 'on' THEN
          PERFORM atalaya_generalise_areas(ARRAY(SELECT id FROM new_rows));
        END IF;
        PERFORM atalaya_bump_tile_version(ARRAY['areas']);
        RETURN NULL;
      END $$`,
    sql`CREATE OR REPLACE FUNCTION atalaya_area_tiles_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('atalaya.staged_tiles', true), '') <> 'on' THEN
          PERFORM atalaya_generalise_areas(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE NOT ST_OrderingEquals(n.geom, o.geom)));
        END IF;
        PERFORM atalaya_bump_tile_version(ARRAY['areas']);
        RETURN NULL;
      END $$`,
  ];
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS import_stage_tile, import_stage, import_run`.execute(db);
}
