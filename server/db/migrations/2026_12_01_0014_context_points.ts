// Frozen migration: never edit once landed; add a new one instead.
// Context layers of points: what others do nearby (e.g. AidData's geocoded GEF projects), shown on
// the map beside the programme's sites but never linked, counted or analysed as the programme's.
// One row per layer with its source, licence and the checksum of what was loaded (so a changed file
// replaces the layer whole, and an unchanged one is not loaded twice).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE context_layer (
    code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,62}$'),
    label_en text NOT NULL,
    label_es text NOT NULL,
    source text NOT NULL,
    licence text NOT NULL,
    sha256 text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE TABLE context_point (
    id serial PRIMARY KEY,
    layer text NOT NULL REFERENCES context_layer (code) ON DELETE CASCADE,
    source_id text NOT NULL,
    name text NOT NULL,
    properties jsonb NOT NULL DEFAULT '{}'::jsonb,
    geom geometry(Point, 4326) NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX context_point_layer_idx ON context_point (layer)`.execute(db);
  await sql`CREATE INDEX context_point_geom_idx ON context_point USING gist (geom)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS context_point`.execute(db);
  await sql`DROP TABLE IF EXISTS context_layer`.execute(db);
}
