import { sql } from 'kysely';
import type { DatabaseHandle } from '../../server/db/database';

/** The tables an import can touch. */
export const IMPORT_TABLES = ['area', 'area_kind', 'site', 'activity', 'activity_action_area', 'activity_goal', 'import_source'];

/**
 * Row counts and an md5 of every row of `tables`: equal snapshots = untouched. The last use of an
 * API token is bookkeeping of the requests themselves, not a change to the data, so it is left out.
 */
export async function snapshot(database: DatabaseHandle, tables: string[] = IMPORT_TABLES): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const rowText = table === 'api_token' ? sql`(to_jsonb(t) - 'last_used_at')::text` : sql`t::text`;
    const { rows } = await sql<{ n: number; h: string | null }>`
      SELECT count(*)::int AS n, md5(string_agg(${rowText}, '|' ORDER BY ${rowText})) AS h FROM ${sql.table(table)} t`.execute(database.db);
    out[table] = `${rows[0]!.n}:${rows[0]!.h}`;
  }
  return out;
}
