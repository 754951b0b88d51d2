// Frozen migration: never edit once landed; add a new one instead.
// An import's new areas are written in short transactions while it runs, and become visible all at
// once when its run is published (one row updated). On the embedded database a transaction holds the
// one connection, so writing 50,000 areas in the publishing transaction kept every read waiting for
// seconds; now that transaction holds only the updates of areas that already existed.
//
// The rows live in area_row; `area` is a view of the visible ones (written by no import, or by a
// published run). It is a simple view, so PostgreSQL updates it like the table (INSERT, UPDATE, ON
// CONFLICT, DELETE), and every query that reads `area` sees only published areas without knowing
// about runs. Triggers, indexes and foreign keys stay on the table.
import { sql, type Kysely } from 'kysely';

const AREA_COLUMNS = sql.raw('id, kind, source_id, name, properties, geom, area_ha, import_source_id, created_at, updated_at');

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE area RENAME TO area_row`,
    // Kept after publishing: the run is the area's publication (a few rows per import ever made).
    // Not indexed: a run's rows are found by id range (they are written in id order), and an index
    // here led the planner to scan every row of the run once per chunk.
    sql`ALTER TABLE area_row ADD COLUMN import_run_id text REFERENCES import_run(id)`,
    sql`ALTER TABLE import_run ADD COLUMN import_source_id integer REFERENCES import_source(id) ON DELETE SET NULL`,
    // Set when the run's follow-up work (links, tile outlines, provenance of new rows) is done.
    sql`ALTER TABLE import_run ADD COLUMN settled_at timestamptz`,
    // Staged rows whose existing area the publishing transaction replaced: their outlines follow.
    sql`ALTER TABLE import_stage ADD COLUMN replaced boolean NOT NULL DEFAULT false`,
    sql`CREATE VIEW area AS SELECT ${AREA_COLUMNS} FROM area_row
      WHERE import_run_id IS NULL OR import_run_id IN (SELECT id FROM import_run WHERE published_at IS NOT NULL)`,
    // Rows of an unpublished run are not linked (the link query reads the view and would not find
    // them anyway); the run's settling step links them once published.
    sql`CREATE OR REPLACE FUNCTION atalaya_area_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM atalaya_relink_areas(ARRAY(SELECT id FROM new_rows WHERE import_run_id IS NULL)); RETURN NULL; END $$`,
    // An import (atalaya.staged_tiles = on) brings its outlines generalised and bumps the tile
    // version itself when its areas become visible, not once per staged statement.
    sql`CREATE OR REPLACE FUNCTION atalaya_area_tiles_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('atalaya.staged_tiles', true), '') = 'on' THEN RETURN NULL; END IF;
        PERFORM atalaya_generalise_areas(ARRAY(SELECT id FROM new_rows));
        PERFORM atalaya_bump_tile_version(ARRAY['areas']);
        RETURN NULL;
      END $$`,
    sql`CREATE OR REPLACE FUNCTION atalaya_area_tiles_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('atalaya.staged_tiles', true), '') = 'on' THEN RETURN NULL; END IF;
        PERFORM atalaya_generalise_areas(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE NOT ST_OrderingEquals(n.geom, o.geom)));
        PERFORM atalaya_bump_tile_version(ARRAY['areas']);
        RETURN NULL;
      END $$`,
  ];
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    sql`DROP VIEW IF EXISTS area`,
    sql`DELETE FROM area_row WHERE import_run_id IN (SELECT id FROM import_run WHERE published_at IS NULL)`,
    sql`ALTER TABLE area_row DROP COLUMN import_run_id`,
    sql`ALTER TABLE area_row RENAME TO area`,
    sql`ALTER TABLE import_run DROP COLUMN import_source_id, DROP COLUMN settled_at`,
    sql`ALTER TABLE import_stage DROP COLUMN replaced`,
    sql`CREATE OR REPLACE FUNCTION atalaya_area_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM atalaya_relink_areas(ARRAY(SELECT id FROM new_rows)); RETURN NULL; END $$`,
  ]) await s.execute(db);
}
