// Hit counters of the request limits, shared by every web process on the database. One statement
// per hit: the row is created, counted or restarted (its window over) atomically, so two processes
// counting the same key at once both count.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export interface Hits {
  hits: number;
  resetAt: Date;
}

/** Counts one hit on the key in a window of windowMs and returns the count and when the window ends. */
export async function countHit(db: Kysely<Database>, key: string, windowMs: number): Promise<Hits> {
  const window = sql`make_interval(secs => ${windowMs / 1000})`;
  const row = await db
    .insertInto('rate_limit')
    .values({ key, hits: 1, reset_at: sql<Date>`now() + ${window}` })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`CASE WHEN rate_limit.reset_at <= now() THEN 1 ELSE rate_limit.hits + 1 END`,
        reset_at: sql<Date>`CASE WHEN rate_limit.reset_at <= now() THEN now() + ${window} ELSE rate_limit.reset_at END`,
      }),
    )
    .returning(['hits', 'reset_at'])
    .executeTakeFirstOrThrow();
  return { hits: row.hits, resetAt: new Date(row.reset_at) };
}

export async function hitsOf(db: Kysely<Database>, key: string): Promise<Hits | undefined> {
  const row = await db.selectFrom('rate_limit').select(['hits', 'reset_at']).where('key', '=', key).where('reset_at', '>', sql<Date>`now()`).executeTakeFirst();
  return row && { hits: row.hits, resetAt: new Date(row.reset_at) };
}

/** Takes back one hit (a request the limiter was told not to count after all). */
export async function uncountHit(db: Kysely<Database>, key: string): Promise<void> {
  await db.updateTable('rate_limit').set({ hits: sql<number>`greatest(hits - 1, 0)` }).where('key', '=', key).execute();
}

export async function forgetHits(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('rate_limit').where('key', '=', key).execute();
}

/** Drops the counters whose window is over, so the table holds only the last window's keys. */
export async function dropExpiredHits(db: Kysely<Database>): Promise<number> {
  const r = await db.deleteFrom('rate_limit').where('reset_at', '<=', sql<Date>`now()`).executeTakeFirst();
  return Number(r.numDeletedRows);
}
