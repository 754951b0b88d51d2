// Frozen migration: never edit once landed; add a new one instead.
// Indicators keep their history: computed values are never overwritten, only superseded (with when
// and from which inputs), so a value shown last year can still be explained after a site moved.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE measurement
      ADD COLUMN origin text NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'computed')),
      ADD COLUMN inputs jsonb,
      ADD COLUMN superseded_at timestamptz`,
    sql`CREATE INDEX measurement_current_idx ON measurement (indicator_id, measured_at) WHERE superseded_at IS NULL`,
    sql`ALTER TABLE indicator
      ADD COLUMN input_hash text,
      ADD COLUMN computed_at timestamptz,
      ADD COLUMN error text,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD CONSTRAINT indicator_activity_name_key UNIQUE (activity_id, name),
      ADD CONSTRAINT indicator_baseline_pair CHECK (baseline_value IS NULL OR baseline_year IS NOT NULL),
      ADD CONSTRAINT indicator_target_pair CHECK (target_value IS NULL OR target_year IS NOT NULL)`,
  ];
  for (const s of statements) await s.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE indicator DROP CONSTRAINT IF EXISTS indicator_activity_name_key, DROP CONSTRAINT IF EXISTS indicator_baseline_pair,
    DROP CONSTRAINT IF EXISTS indicator_target_pair, DROP COLUMN IF EXISTS input_hash, DROP COLUMN IF EXISTS computed_at,
    DROP COLUMN IF EXISTS error, DROP COLUMN IF EXISTS updated_at`.execute(db);
  await sql`DROP INDEX IF EXISTS measurement_current_idx`.execute(db);
  await sql`ALTER TABLE measurement DROP COLUMN IF EXISTS origin, DROP COLUMN IF EXISTS inputs, DROP COLUMN IF EXISTS superseded_at`.execute(db);
}
