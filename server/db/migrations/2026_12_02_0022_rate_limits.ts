// Frozen migration: never edit once landed; add a new one instead.
// Sign-in attempt counters in the database, so every web process behind a load balancer counts the
// same tries (a per-process memory store would give each process its own ten).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE rate_limit (
    key text PRIMARY KEY,
    hits integer NOT NULL,
    reset_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX rate_limit_reset_at_idx ON rate_limit (reset_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS rate_limit`.execute(db);
}
