// Frozen migration: never edit once landed; add a new one instead.
// Links between sites and areas are kept by the database itself: statement-level triggers with
// transition tables recompute exactly the changed rows, once per statement (an import of 5,000 areas
// in batches relinks each batch once, not 5,000 times), inside the transaction of the change.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE country_boundary (
      iso3 text PRIMARY KEY,
      name text NOT NULL,
      source text NOT NULL,
      geom geometry(MultiPolygon, 4326) NOT NULL)`,
    sql`CREATE INDEX country_boundary_geom_idx ON country_boundary USING gist (geom)`,
    sql`CREATE INDEX link_site_idx ON link (site_id)`,
    // The candidate search uses the GiST index of area.geom through a bbox expanded by the link distance
    // in degrees (1 degree of longitude shrinks with latitude, so the widest latitude of the site plus
    // a margin is used); the exact test is then on geography, in metres, valid across UTM zones.
    // The distance is computed once per candidate pair (and not at all for pairs that intersect):
    // ST_DWithin followed by ST_Distance would measure every accepted pair twice.
    sql`CREATE FUNCTION atalaya_link_insert(p_site_ids integer[], p_area_ids integer[]) RETURNS void
      LANGUAGE sql AS $$
      INSERT INTO link (site_id, area_id, relation, overlap_ha, share_of_site, distance_m)
      SELECT s.id, a.id,
        CASE WHEN i.hit AND ST_CoveredBy(s.geom, a.geom) THEN 'inside' WHEN i.hit THEN 'overlaps' ELSE 'within' END,
        CASE WHEN i.hit AND ST_Dimension(s.geom) = 2 THEN ST_Area(ST_Intersection(s.geom, a.geom)::geography) / 10000.0 END,
        CASE WHEN NOT i.hit THEN 0
          WHEN ST_Dimension(s.geom) = 2 THEN ST_Area(ST_Intersection(s.geom, a.geom)::geography) / NULLIF(ST_Area(s.geom::geography), 0)
          WHEN ST_Dimension(s.geom) = 1 THEN ST_Length(ST_Intersection(s.geom, a.geom)::geography) / NULLIF(ST_Length(s.geom::geography), 0)
          ELSE 1 END,
        d.m
      FROM site s
      JOIN area a ON a.geom && ST_Expand(s.geom,
            (SELECT max(link_distance_m) FROM area_kind) / (111320.0 * cos(radians(least(89.0, greatest(abs(ST_YMin(s.geom)), abs(ST_YMax(s.geom))) + 1.0)))))
      JOIN area_kind k ON k.code = a.kind
      CROSS JOIN LATERAL (SELECT ST_Intersects(s.geom, a.geom) AS hit) i
      CROSS JOIN LATERAL (SELECT CASE WHEN i.hit THEN 0 ELSE ST_Distance(s.geom::geography, a.geom::geography) END AS m) d
      WHERE (p_site_ids IS NULL OR s.id = ANY(p_site_ids))
        AND (p_area_ids IS NULL OR a.id = ANY(p_area_ids))
        AND d.m <= k.link_distance_m
      ON CONFLICT (site_id, area_id) DO UPDATE SET relation = excluded.relation, overlap_ha = excluded.overlap_ha,
        share_of_site = excluded.share_of_site, distance_m = excluded.distance_m, computed_at = now()
      $$`,
    sql`CREATE FUNCTION atalaya_relink_sites(p_site_ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(array_length(p_site_ids, 1), 0) = 0 THEN RETURN; END IF;
        DELETE FROM link WHERE site_id = ANY(p_site_ids);
        PERFORM atalaya_link_insert(p_site_ids, NULL);
      END $$`,
    sql`CREATE FUNCTION atalaya_relink_areas(p_area_ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(array_length(p_area_ids, 1), 0) = 0 THEN RETURN; END IF;
        DELETE FROM link WHERE area_id = ANY(p_area_ids);
        PERFORM atalaya_link_insert(NULL, p_area_ids);
      END $$`,
    sql`CREATE FUNCTION atalaya_site_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM atalaya_relink_sites(ARRAY(SELECT id FROM new_rows)); RETURN NULL; END $$`,
    sql`CREATE FUNCTION atalaya_site_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM atalaya_relink_sites(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE NOT ST_OrderingEquals(n.geom, o.geom)));
        RETURN NULL;
      END $$`,
    sql`CREATE FUNCTION atalaya_area_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM atalaya_relink_areas(ARRAY(SELECT id FROM new_rows)); RETURN NULL; END $$`,
    sql`CREATE FUNCTION atalaya_area_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM atalaya_relink_areas(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE n.kind <> o.kind OR NOT ST_OrderingEquals(n.geom, o.geom)));
        RETURN NULL;
      END $$`,
    sql`CREATE FUNCTION atalaya_area_kind_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM atalaya_relink_areas(ARRAY(SELECT a.id FROM area a JOIN new_rows n ON n.code = a.kind
          JOIN old_rows o ON o.code = n.code WHERE n.link_distance_m <> o.link_distance_m));
        RETURN NULL;
      END $$`,
    sql`CREATE TRIGGER site_link_insert AFTER INSERT ON site REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION atalaya_site_inserted()`,
    sql`CREATE TRIGGER site_link_update AFTER UPDATE ON site REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION atalaya_site_updated()`,
    sql`CREATE TRIGGER area_link_insert AFTER INSERT ON area REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION atalaya_area_inserted()`,
    sql`CREATE TRIGGER area_link_update AFTER UPDATE ON area REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION atalaya_area_updated()`,
    sql`CREATE TRIGGER area_kind_link_update AFTER UPDATE ON area_kind REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION atalaya_area_kind_updated()`,
    // Links of rows that existed before this migration.
    sql`SELECT atalaya_link_insert(NULL, NULL)`,
  ];
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    sql`DROP TRIGGER IF EXISTS area_kind_link_update ON area_kind`,
    sql`DROP TRIGGER IF EXISTS area_link_update ON area`,
    sql`DROP TRIGGER IF EXISTS area_link_insert ON area`,
    sql`DROP TRIGGER IF EXISTS site_link_update ON site`,
    sql`DROP TRIGGER IF EXISTS site_link_insert ON site`,
    sql`DROP FUNCTION IF EXISTS atalaya_area_kind_updated, atalaya_area_updated, atalaya_area_inserted, atalaya_site_updated, atalaya_site_inserted, atalaya_relink_areas, atalaya_relink_sites, atalaya_link_insert`,
    sql`DROP INDEX IF EXISTS link_site_idx`,
    sql`DROP TABLE IF EXISTS country_boundary`,
  ]) await s.execute(db);
}
