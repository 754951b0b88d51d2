// The parts of a split job: planned all at once (so the job's total is known from the start), each
// claimed, followed and finished on its own by whichever worker has it; the job's progress is the
// sum of its parts'. Finishing is idempotent: a part delivered twice (a queue's at-least-once
// contract) is finished once, and only the finisher of the last part finishes the job.
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export interface PlannedPart {
  params: Record<string, unknown>;
  /** Units of work (subjects) the part will count through. */
  total: number;
}

/** Replaces the job's parts with a new plan (a job planned again after a restart starts over from what is not done). */
export async function planParts(db: Kysely<Database>, jobId: number, parts: PlannedPart[]) {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('job_part').where('job_id', '=', jobId).execute();
    const rows = parts.length
      ? await trx.insertInto('job_part').values(parts.map((p, n) => ({ job_id: jobId, n, params: JSON.stringify(p.params), total: p.total }))).returning(['id', 'n']).execute()
      : [];
    await trx.updateTable('job').set({ done: 0, total: parts.reduce((s, p) => s + p.total, 0) }).where('id', '=', jobId).execute();
    return rows.sort((a, b) => a.n - b.n).map((r) => r.id);
  });
}

/** Who has a part: this machine and process. */
const WORKER = `${os.hostname()}:${process.pid}`;

/** Marks the part running (again, after a worker that had it died) and returns it with its job's kind and parameters. */
export async function claimPart(db: Kysely<Database>, partId: number) {
  return db
    .updateTable('job_part')
    .set({ status: 'running', started_at: sql`now()`, attempts: sql`attempts + 1`, worker: WORKER })
    .where('id', '=', partId)
    .where('status', 'in', ['queued', 'running'])
    .returning(['id', 'job_id', 'n', 'params', 'attempts'])
    .executeTakeFirst()
    .then(async (part) => {
      if (!part) return undefined;
      const job = await db.selectFrom('job').select(['kind', 'params', 'status']).where('id', '=', part.job_id).executeTakeFirst();
      return job && job.status === 'running' ? { ...part, kind: job.kind, jobParams: job.params as Record<string, unknown> } : undefined;
    });
}

/** The part's progress, and the job's as the sum of its parts'. */
export async function recordPartProgress(db: Kysely<Database>, partId: number, jobId: number, done: number, message?: string): Promise<void> {
  await db.updateTable('job_part').set({ done }).where('id', '=', partId).where('status', '=', 'running').execute();
  await sumPartsIntoJob(db, jobId, message);
}

/** The job's progress as the sum of its parts' (and the stage being worked on, when given). */
function sumPartsIntoJob(db: Kysely<Database>, jobId: number, message?: string) {
  return sql`UPDATE job SET done = (SELECT coalesce(sum(done), 0) FROM job_part WHERE job_id = ${jobId})::int${message ? sql`, message = ${message}` : sql``} WHERE id = ${jobId}`.execute(db);
}

/**
 * Finishes a part with its result. Returns true for the one call that finished the job's last part
 * (the job is then marked finishing, so no other worker finishes it too), false otherwise.
 */
export async function finishPart(db: Kysely<Database>, partId: number, jobId: number, status: 'done' | 'failed', result: unknown): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable('job_part').set({ status, result: JSON.stringify(result), done: sql`CASE WHEN ${status} = 'done' THEN total ELSE done END`, finished_at: sql`now()` }).where('id', '=', partId).where('status', 'in', ['queued', 'running']).returning('id').executeTakeFirst();
    if (!changed) return false;
    // The job row, locked: two parts finishing at once see each other's status.
    await sql`SELECT id FROM job WHERE id = ${jobId} FOR UPDATE`.execute(trx);
    await sumPartsIntoJob(trx, jobId);
    const open = await trx.selectFrom('job_part').select((e) => e.fn.countAll<number>().as('n')).where('job_id', '=', jobId).where('status', 'in', ['queued', 'running']).executeTakeFirstOrThrow();
    if (Number(open.n) > 0) return false;
    const claimed = await trx.updateTable('job').set({ message: 'finishing' }).where('id', '=', jobId).where('status', '=', 'running').where((e) => e.or([e('message', 'is', null), e('message', '<>', 'finishing')])).returning('id').executeTakeFirst();
    return claimed !== undefined;
  });
}

/**
 * A split job whose finisher died: every part over, the job still 'running' with the 'finishing'
 * claim. A part delivered again after that (the queue retries it: the dead finisher never
 * completed its delivery) finds its part over and finishes the job instead. Returns its kind and
 * parameters then.
 */
export async function orphanedFinish(db: Kysely<Database>, partId: number) {
  const row = await db
    .selectFrom('job_part as p')
    .innerJoin('job as j', 'j.id', 'p.job_id')
    .select(['j.id', 'j.kind', 'j.params'])
    .where('p.id', '=', partId)
    .where('p.status', 'in', ['done', 'failed'])
    .where('j.status', '=', 'running')
    .where('j.message', '=', 'finishing')
    .where((e) => e.not(e.exists(e.selectFrom('job_part as o').select('o.id').whereRef('o.job_id', '=', 'j.id').where('o.status', 'in', ['queued', 'running']))))
    .executeTakeFirst();
  return row && { jobId: row.id, kind: row.kind, params: row.params as Record<string, unknown> };
}

export async function partsOf(db: Kysely<Database>, jobId: number) {
  return db.selectFrom('job_part').select(['id', 'n', 'status', 'done', 'total', 'result', 'attempts', 'worker']).where('job_id', '=', jobId).orderBy('n').execute();
}
