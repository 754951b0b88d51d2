// Frozen migration: never edit once landed; add a new one instead.
// Stored zonal statistics (loss per year for areas, site buffers and activity buffers) with their
// provenance, and a job table so long batches report progress and survive a restart.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE loss_statistic (
    id serial PRIMARY KEY,
    subject text NOT NULL CHECK (subject IN ('area', 'site', 'activity')),
    subject_id integer NOT NULL,
    buffer_m integer NOT NULL DEFAULT 0 CHECK (buffer_m >= 0),
    loss_layer_id integer NOT NULL REFERENCES raster_layer(id) ON DELETE CASCADE,
    -- 0 = no tree cover layer: every pixel counts as forest.
    treecover_layer_id integer NOT NULL DEFAULT 0,
    threshold smallint NOT NULL CHECK (threshold BETWEEN 0 AND 100),
    -- md5 of the analysed geometry and the rasters' ingest stamps: a changed input makes the row stale.
    input_hash text NOT NULL,
    raster_stamp text NOT NULL,
    pixels bigint NOT NULL,
    covered_pixels bigint NOT NULL,
    area_ha double precision NOT NULL,
    covered_area_ha double precision NOT NULL,
    forest_pixels bigint NOT NULL,
    forest2000_ha double precision NOT NULL,
    years jsonb NOT NULL,
    rule text NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (subject, subject_id, buffer_m, loss_layer_id, treecover_layer_id, threshold)
  )`.execute(db);
  await sql`CREATE TABLE job (
    id serial PRIMARY KEY,
    kind text NOT NULL,
    params jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    done integer NOT NULL DEFAULT 0,
    total integer NOT NULL DEFAULT 0,
    message text,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX job_status_idx ON job (status, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS job`.execute(db);
  await sql`DROP TABLE IF EXISTS loss_statistic`.execute(db);
}
