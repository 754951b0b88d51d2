// Frozen migration: never edit once landed; add a new one instead.
// Alerts published as points or polygons (Peru's GeoBosques early alerts): one row per alert with its
// date and district code, per layer, replaced whole when a newer file for the layer arrives.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE vector_alert_layer (
    name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_]{0,62}$'),
    source text NOT NULL,
    attribution text NOT NULL,
    licence text NOT NULL,
    file_name text NOT NULL,
    sha256 text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE TABLE vector_alert (
    id serial PRIMARY KEY,
    layer text NOT NULL REFERENCES vector_alert_layer (name) ON DELETE CASCADE,
    source_id text NOT NULL,
    alert_date date NOT NULL,
    ubigeo text,
    area_ha double precision,
    properties jsonb NOT NULL DEFAULT '{}'::jsonb,
    geom geometry(Geometry, 4326) NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX vector_alert_layer_date_idx ON vector_alert (layer, alert_date)`.execute(db);
  await sql`CREATE INDEX vector_alert_geom_idx ON vector_alert USING gist (geom)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS vector_alert`.execute(db);
  await sql`DROP TABLE IF EXISTS vector_alert_layer`.execute(db);
}
