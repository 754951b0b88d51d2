// The fetch state of the real sources (source_fetch): validators for conditional requests, the
// checksum of what was taken, and each source's last outcome.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export interface SourceFetchRow {
  source_id: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  bytes: number | null;
  features: number | null;
  status: 'ok' | 'not_modified' | 'failed';
  message: string | null;
  fetched_at: Date;
}

export function fetchStateOf(db: Kysely<Database>, sourceId: string, url: string): Promise<SourceFetchRow | undefined> {
  return db.selectFrom('source_fetch').selectAll().where('source_id', '=', sourceId).where('url', '=', url).executeTakeFirst() as Promise<SourceFetchRow | undefined>;
}

/** Every URL's state, newest first (bigint bytes read as numbers). */
export async function allFetchStates(db: Kysely<Database>): Promise<SourceFetchRow[]> {
  const rows = await db.selectFrom('source_fetch').selectAll().orderBy('fetched_at', 'desc').execute();
  return rows.map((r) => ({ ...r, bytes: r.bytes === null ? null : Number(r.bytes) })) as SourceFetchRow[];
}

export async function recordFetch(db: Kysely<Database>, row: Omit<SourceFetchRow, 'fetched_at'>): Promise<void> {
  const values = { ...row, fetched_at: sql<Date>`now()` };
  await db
    .insertInto('source_fetch')
    .values(values)
    .onConflict((oc) => oc.columns(['source_id', 'url']).doUpdateSet(row.status === 'failed' ? { status: row.status, message: row.message, fetched_at: sql<Date>`now()` } : values))
    .execute();
}
