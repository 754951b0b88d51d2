// Frozen migration: never edit once landed; add a new one instead.
// Stored alert series of every area, site buffer and activity per alert layer: the alert pixels and
// hectares per day and confidence, with what they were computed from (the subject's geometry hash,
// the layer's ingest stamp) and the 256 x 256 blocks the subject covers, so a new file recomputes
// only the subjects whose blocks changed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE alert_statistic (
    subject text NOT NULL CHECK (subject IN ('area', 'site', 'activity')),
    subject_id integer NOT NULL,
    layer_id integer NOT NULL REFERENCES raster_layer (id) ON DELETE CASCADE,
    buffer_m double precision NOT NULL,
    input_hash text NOT NULL,
    layer_stamp text NOT NULL,
    pixels bigint NOT NULL,
    covered_pixels bigint NOT NULL,
    area_ha double precision NOT NULL,
    covered_ha double precision NOT NULL,
    block_x0 integer,
    block_y0 integer,
    block_x1 integer,
    block_y1 integer,
    days jsonb NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, subject_id, layer_id, buffer_m)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS alert_statistic`.execute(db);
}
