import { sql } from 'kysely';
import type { DatabaseHandle } from '../../server/db/database';

/** Row counts and an md5 of every row of the tables an import can touch: equal snapshots = untouched. */
export async function snapshot(database: DatabaseHandle): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of ['area', 'area_kind', 'site', 'activity', 'activity_action_area', 'activity_goal', 'import_source']) {
    const { rows } = await sql<{ n: number; h: string | null }>`
      SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM ${sql.table(table)} t`.execute(database.db);
    out[table] = `${rows[0]!.n}:${rows[0]!.h}`;
  }
  return out;
}
