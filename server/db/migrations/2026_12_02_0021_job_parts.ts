// Frozen migration: never edit once landed; add a new one instead.
// The parts of a job split for several workers (a statistics batch by subject ranges): each part's
// parameters, state, progress and the worker (host:pid) that has it; the job's progress is the sum of its parts'.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A job enqueued by a schedule in every web process is stored once: the key names the run (kind and minute).
  await sql`ALTER TABLE job ADD COLUMN dedupe_key text`.execute(db);
  await sql`CREATE UNIQUE INDEX job_dedupe_key_idx ON job (dedupe_key) WHERE dedupe_key IS NOT NULL`.execute(db);
  await sql`CREATE TABLE job_part (
    id serial PRIMARY KEY,
    job_id integer NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    n integer NOT NULL,
    params jsonb NOT NULL,
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    done integer NOT NULL DEFAULT 0,
    total integer NOT NULL DEFAULT 0,
    result jsonb,
    attempts integer NOT NULL DEFAULT 0,
    worker text,
    started_at timestamptz,
    finished_at timestamptz,
    UNIQUE (job_id, n)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS job_part`.execute(db);
  await sql`ALTER TABLE job DROP COLUMN IF EXISTS dedupe_key`.execute(db);
}
