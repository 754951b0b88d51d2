// Frozen migration: never edit once landed; add a new one instead.
// Offline area packages: what a user asked to take into the field (an area, an activity's or a
// site's surroundings, a drawn box, at a zoom range), the PMTiles archive and JSON built for it under
// ATALAYA_DATA_DIR/packages, and the job that builds it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE area_package (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    subject text NOT NULL CHECK (subject IN ('area', 'activity', 'site', 'box')),
    subject_id integer,
    name text NOT NULL,
    min_zoom smallint NOT NULL CHECK (min_zoom BETWEEN 0 AND 16),
    max_zoom smallint NOT NULL CHECK (max_zoom BETWEEN min_zoom AND 16),
    bounds double precision[] NOT NULL CHECK (array_length(bounds, 1) = 4),
    status text NOT NULL DEFAULT 'building' CHECK (status IN ('building', 'ready', 'failed')),
    job_id integer,
    tiles integer,
    bytes bigint,
    sha256 text,
    message text,
    created_at timestamptz NOT NULL DEFAULT now(),
    built_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX area_package_user_idx ON area_package (user_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS area_package`.execute(db);
}
