// Frozen migration: never edit once landed; add a new one instead.
// Vector tiles: area outlines in Web Mercator, generalised once per zoom band (kept current by
// statement-level triggers, like the links), so a tile query neither reprojects nor simplifies; and a
// version per tile layer that every change bumps, so tile ETags and caches follow the data.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE area_tile_geom (
      area_id integer NOT NULL REFERENCES area(id) ON DELETE CASCADE,
      band smallint NOT NULL,
      geom geometry(Geometry, 3857) NOT NULL,
      PRIMARY KEY (area_id, band))`,
    // One index per band, so a low-zoom tile scans only the simplified outlines.
    sql`CREATE INDEX area_tile_geom_b0_idx ON area_tile_geom USING gist (geom) WHERE band = 0`,
    sql`CREATE INDEX area_tile_geom_b1_idx ON area_tile_geom USING gist (geom) WHERE band = 1`,
    sql`CREATE INDEX area_tile_geom_b2_idx ON area_tile_geom USING gist (geom) WHERE band = 2`,
    sql`CREATE INDEX area_tile_geom_b3_idx ON area_tile_geom USING gist (geom) WHERE band = 3`,
    // Tolerances in metres: 4 tile units (of 4096) at the highest zoom of each band (z5, z8, z10),
    // half a screen pixel at 512 px tiles: no visible difference. Band 3 (z11+) is the full outline.
    sql`CREATE FUNCTION atalaya_generalise_areas(p_ids integer[]) RETURNS void LANGUAGE sql AS $$
      DELETE FROM area_tile_geom WHERE area_id = ANY(p_ids);
      INSERT INTO area_tile_geom (area_id, band, geom)
      SELECT a.id, b.band, s.g
      FROM area a
      CROSS JOIN (VALUES (0::smallint, 1223.0::float8), (1::smallint, 152.9::float8), (2::smallint, 38.2::float8), (3::smallint, 0.0::float8)) AS b(band, tol)
      CROSS JOIN LATERAL (SELECT CASE WHEN b.tol = 0 THEN ST_Transform(a.geom, 3857) ELSE ST_SimplifyPreserveTopology(ST_Transform(a.geom, 3857), b.tol) END AS g) s
      WHERE a.id = ANY(p_ids) AND s.g IS NOT NULL AND NOT ST_IsEmpty(s.g);
    $$`,
    sql`CREATE TABLE tile_layer_version (layer text PRIMARY KEY, version bigint NOT NULL DEFAULT 1, changed_at timestamptz NOT NULL DEFAULT now())`,
    sql`INSERT INTO tile_layer_version (layer) VALUES ('areas'), ('sites'), ('activities')`,
    sql`CREATE FUNCTION atalaya_bump_tile_version(p_layers text[]) RETURNS void LANGUAGE sql AS $$
      UPDATE tile_layer_version SET version = version + 1, changed_at = now() WHERE layer = ANY(p_layers);
    $$`,
    sql`CREATE FUNCTION atalaya_area_tiles_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM atalaya_generalise_areas(ARRAY(SELECT id FROM new_rows));
        PERFORM atalaya_bump_tile_version(ARRAY['areas']);
        RETURN NULL;
      END $$`,
    sql`CREATE FUNCTION atalaya_area_tiles_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM atalaya_generalise_areas(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE NOT ST_OrderingEquals(n.geom, o.geom)));
        PERFORM atalaya_bump_tile_version(ARRAY['areas']);
        RETURN NULL;
      END $$`,
    sql`CREATE FUNCTION atalaya_bump_areas() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM atalaya_bump_tile_version(ARRAY['areas']); RETURN NULL; END $$`,
    sql`CREATE FUNCTION atalaya_bump_sites_activities() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM atalaya_bump_tile_version(ARRAY['sites', 'activities']); RETURN NULL; END $$`,
    sql`CREATE TRIGGER area_tiles_insert AFTER INSERT ON area REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION atalaya_area_tiles_inserted()`,
    sql`CREATE TRIGGER area_tiles_update AFTER UPDATE ON area REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION atalaya_area_tiles_updated()`,
    sql`CREATE TRIGGER area_tiles_delete AFTER DELETE OR TRUNCATE ON area FOR EACH STATEMENT EXECUTE FUNCTION atalaya_bump_areas()`,
    sql`CREATE TRIGGER site_tiles_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON site FOR EACH STATEMENT EXECUTE FUNCTION atalaya_bump_sites_activities()`,
    sql`CREATE TRIGGER activity_tiles_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON activity FOR EACH STATEMENT EXECUTE FUNCTION atalaya_bump_sites_activities()`,
    sql`CREATE TRIGGER activity_goal_tiles_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON activity_goal FOR EACH STATEMENT EXECUTE FUNCTION atalaya_bump_sites_activities()`,
    sql`SELECT atalaya_generalise_areas(ARRAY(SELECT id FROM area))`,
  ];
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['area_tiles_insert ON area', 'area_tiles_update ON area', 'area_tiles_delete ON area', 'site_tiles_change ON site', 'activity_tiles_change ON activity', 'activity_goal_tiles_change ON activity_goal']) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
  }
  for (const f of ['atalaya_area_tiles_inserted()', 'atalaya_area_tiles_updated()', 'atalaya_bump_areas()', 'atalaya_bump_sites_activities()', 'atalaya_bump_tile_version(text[])', 'atalaya_generalise_areas(integer[])']) {
    await sql.raw(`DROP FUNCTION IF EXISTS ${f}`).execute(db);
  }
  await sql`DROP TABLE IF EXISTS area_tile_geom`.execute(db);
  await sql`DROP TABLE IF EXISTS tile_layer_version`.execute(db);
}
