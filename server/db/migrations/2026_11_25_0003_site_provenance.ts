// Frozen migration: never edit once landed; add a new one instead.
// Sites imported from files get provenance and a stable source id per activity, so re-importing
// the same file updates sites instead of duplicating them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE site ADD COLUMN import_source_id integer REFERENCES import_source(id) ON DELETE SET NULL`.execute(db);
  await sql`ALTER TABLE site ADD CONSTRAINT site_activity_source_key UNIQUE (activity_id, source_id)`.execute(db);
  await sql`ALTER TABLE import_source ADD COLUMN format text`.execute(db);
  await sql`ALTER TABLE import_source ADD COLUMN srid integer`.execute(db);
  await sql`CREATE INDEX import_source_hash_idx ON import_source (content_hash, target)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS import_source_hash_idx`.execute(db);
  await sql`ALTER TABLE import_source DROP COLUMN IF EXISTS srid`.execute(db);
  await sql`ALTER TABLE import_source DROP COLUMN IF EXISTS format`.execute(db);
  await sql`ALTER TABLE site DROP CONSTRAINT IF EXISTS site_activity_source_key`.execute(db);
  await sql`ALTER TABLE site DROP COLUMN IF EXISTS import_source_id`.execute(db);
}
