// The job table as a queue: claim the oldest queued job, record progress, finish or fail it, and
// put back jobs a killed process left running.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/** Puts jobs left 'running' back in the queue; returns their ids. */
export async function requeueRunningJobs(db: Kysely<Database>): Promise<number[]> {
  const rows = await db.updateTable('job').set({ status: 'queued', message: 'resumed after a restart' }).where('status', '=', 'running').returning('id').execute();
  return rows.map((r) => r.id);
}

export function insertJob(db: Kysely<Database>, kind: string, params: Record<string, unknown>) {
  return db.insertInto('job').values({ kind, params: JSON.stringify(params) }).returningAll().executeTakeFirstOrThrow();
}

/** The start of a dedupe key held only while the job is queued or running (cleared when it finishes). */
export const PENDING_KEY = 'pending:';

/** Inserts the job unless one with this key exists; `fresh` says which happened (the caller dispatches only a fresh one). */
export async function insertJobOnce(db: Kysely<Database>, kind: string, params: Record<string, unknown>, key: string) {
  // A pending key can be let go between the insert that met it and the read (the job finished): try again.
  for (let attempt = 0; ; attempt++) {
    const inserted = await db.insertInto('job').values({ kind, params: JSON.stringify(params), dedupe_key: key }).onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing()).returningAll().executeTakeFirst();
    if (inserted) return { job: inserted, fresh: true };
    const existing = await db.selectFrom('job').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
    if (existing) return { job: existing, fresh: false };
    if (attempt >= 3) throw new Error(`job key ${key} neither inserted nor found`);
  }
}

export function findJob(db: Kysely<Database>, id: number) {
  return db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks the oldest queued job running and returns it; undefined when the queue is empty. */
export function claimNextJob(db: Kysely<Database>) {
  return db
    .updateTable('job')
    .set({ status: 'running', started_at: sql`now()`, message: null })
    .where('id', '=', (eb) => eb.selectFrom('job').select((e) => e.fn.min('id').as('id')).where('status', '=', 'queued'))
    .returningAll()
    .executeTakeFirst();
}

export async function recordJobProgress(db: Kysely<Database>, id: number, done: number, total: number, message?: string): Promise<void> {
  await db.updateTable('job').set({ done, total, ...(message ? { message } : {}) }).where('id', '=', id).execute();
}

export async function finishJob(db: Kysely<Database>, id: number, status: 'done' | 'failed', message: string | null): Promise<void> {
  // A job kept single only while pending (PENDING_KEY) lets the next one in once it is over.
  await db
    .updateTable('job')
    .set({ status, finished_at: sql`now()`, message, dedupe_key: sql<string | null>`CASE WHEN dedupe_key LIKE ${PENDING_KEY + '%'} THEN NULL ELSE dedupe_key END` })
    .where('id', '=', id)
    .execute();
}

/** Marks one job running (again, when a queue delivers it after its worker died); undefined when it is over. */
export function claimJob(db: Kysely<Database>, id: number) {
  return db
    .updateTable('job')
    .set({ status: 'running', started_at: sql`now()` })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returningAll()
    .executeTakeFirst();
}
