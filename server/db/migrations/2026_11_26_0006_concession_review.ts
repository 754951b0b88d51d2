// Frozen migration: never edit once landed; add a new one instead.
// Review notes of forest authorities on concessions: append-only, so who said what and when stays.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE concession_review (
    id serial PRIMARY KEY,
    area_id integer NOT NULL REFERENCES area(id) ON DELETE CASCADE,
    reviewed boolean NOT NULL DEFAULT true,
    supervision_status text NOT NULL CHECK (supervision_status IN ('none', 'watch', 'field_visit', 'sanction_process', 'cleared')),
    note text NOT NULL DEFAULT '',
    author text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE INDEX concession_review_area_idx ON concession_review (area_id, created_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS concession_review`.execute(db);
}
