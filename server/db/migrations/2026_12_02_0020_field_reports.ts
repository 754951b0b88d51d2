// Frozen migration: never edit once landed; add a new one instead.
// Field reports made on devices (an alert verified on the ground, a site visited), keyed by the
// device's UUID so a report sent twice is stored once; their photos (files under
// ATALAYA_DATA_DIR/field-photos, metadata stripped: time and position kept here); the supervisor's
// review. Both tables are audited by the trigger of migration 0009.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE field_report (
      id uuid PRIMARY KEY,
      -- A number for OGC API feature ids (integers there), public once the report is accepted.
      n integer GENERATED ALWAYS AS IDENTITY UNIQUE,
      kind text NOT NULL CHECK (kind IN ('alert', 'visit')),
      user_id integer REFERENCES app_user (id) ON DELETE SET NULL,
      agency_code text NOT NULL REFERENCES agency (code) ON UPDATE CASCADE,
      alert_id text,
      alert_layer text,
      alert_col integer,
      alert_row integer,
      alert_day integer,
      alert_ha double precision,
      alert_point geometry(Point, 4326),
      result text CHECK (result IN ('confirmed', 'false_positive')),
      cause text CHECK (cause IN ('mining', 'agriculture', 'logging', 'road', 'fire', 'natural', 'other')),
      outline geometry(Polygon, 4326),
      outline_ha double precision,
      notes text NOT NULL DEFAULT '',
      site_id integer REFERENCES site (id) ON DELETE SET NULL,
      observations text NOT NULL DEFAULT '',
      measurements jsonb NOT NULL DEFAULT '[]',
      geom geometry(Point, 4326) NOT NULL,
      accuracy_m double precision NOT NULL,
      observed_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      photo_count smallint NOT NULL DEFAULT 0,
      -- What the device sent, hashed: the same UUID with other content is a conflict, not a repeat.
      content_hash text NOT NULL,
      review_status text NOT NULL DEFAULT 'pending' CHECK (review_status IN ('pending', 'accepted', 'rejected')),
      reviewed_by integer REFERENCES app_user (id) ON DELETE SET NULL,
      reviewed_at timestamptz,
      review_note text,
      CHECK ((kind = 'alert') = (alert_id IS NOT NULL AND result IS NOT NULL))
    )`,
    sql`CREATE INDEX field_report_alert_idx ON field_report (alert_layer, alert_id)`,
    sql`CREATE INDEX field_report_status_idx ON field_report (review_status, received_at)`,
    sql`CREATE INDEX field_report_geom_idx ON field_report USING gist (geom)`,
    sql`CREATE TABLE field_photo (
      id uuid PRIMARY KEY,
      report_id uuid NOT NULL REFERENCES field_report (id) ON DELETE CASCADE,
      content_type text NOT NULL,
      bytes integer NOT NULL,
      width integer NOT NULL,
      height integer NOT NULL,
      sha256 text NOT NULL,
      taken_at timestamptz,
      lon double precision,
      lat double precision,
      received_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX field_photo_report_idx ON field_photo (report_id)`,
    sql`CREATE TRIGGER field_report_audit AFTER INSERT OR UPDATE OR DELETE ON field_report FOR EACH ROW EXECUTE FUNCTION atalaya_audit()`,
    sql`CREATE TRIGGER field_photo_audit AFTER INSERT OR UPDATE OR DELETE ON field_photo FOR EACH ROW EXECUTE FUNCTION atalaya_audit()`,
  ];
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS field_photo`.execute(db);
  await sql`DROP TABLE IF EXISTS field_report`.execute(db);
}
