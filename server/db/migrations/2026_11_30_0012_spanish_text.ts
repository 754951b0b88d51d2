// Frozen migration: never edit once landed; add a new one instead.
// Text that users write can carry Spanish beside English: an activity's title and summary, an
// indicator's name and unit. Null = not translated (the English is shown, marked as such).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE activity ADD COLUMN title_es text, ADD COLUMN summary_es text`.execute(db);
  await sql`ALTER TABLE indicator ADD COLUMN name_es text, ADD COLUMN unit_es text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE indicator DROP COLUMN IF EXISTS unit_es, DROP COLUMN IF EXISTS name_es`.execute(db);
  await sql`ALTER TABLE activity DROP COLUMN IF EXISTS summary_es, DROP COLUMN IF EXISTS title_es`.execute(db);
}
