// Background jobs in the job table. What a job does is the same wherever it runs; where it runs is
// the runner's business: `JobRunner` works the queue in this process, one job at a time (the
// embedded database's default, and a single server's), `QueueJobRunner` (job_queue.service.ts)
// hands jobs to worker processes through a PostgreSQL queue. Progress is written to the row (at most
// twice a second) so any client, or the CLI, can follow it.
//
// A job may split itself into parts (a statistics batch by subject ranges): its handler returns the
// plan, each part runs on its own (here one after another, on a queue on any worker), and the one
// that finishes the last part runs the job's finish step. Parts must be idempotent: a queue delivers
// at least once, and a part whose worker died is run again.
import crypto from 'node:crypto';
import { runAsBackground } from '../request_context';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { NotFoundError } from '../errors';
import { isConnectionLoss } from '../db/connection_errors';
import { claimNextJob, findJob, finishJob, insertJob, insertJobOnce, PENDING_KEY, recordJobProgress, requeueRunningJobs } from '../db/repositories/jobs.repository';
import { claimPart, finishPart, orphanedFinish, partsOf, planParts, recordPartProgress, type PlannedPart } from '../db/repositories/job_parts.repository';

export type JobProgress = (done: number, total: number, message?: string) => void;
/** A handler's answer: a message for the job, or the parts it is split into. */
export type JobOutcome = string | void | { parts: PlannedPart[] };
export type JobHandler = (params: Record<string, unknown>, progress: JobProgress) => Promise<JobOutcome>;

/** How a split job's parts run and how their results become the job's message. */
export interface PartHandlers {
  /** One part; `progress` counts through the part's planned total. */
  run(jobParams: Record<string, unknown>, partParams: Record<string, unknown>, progress: (done: number, message?: string) => void): Promise<unknown>;
  /** Once, after the last part: the job's message from every part's result (in plan order). */
  finish(jobParams: Record<string, unknown>, results: unknown[]): Promise<string>;
}

type JobRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;
export interface EnqueueOptions {
  once?: string;
}

/** A schedule's run as a key: the job kind and the minute it fired in (every process's cron fires in the same minute). */
export function scheduledRunKey(kind: string, at = new Date()): string {
  return `${kind}@${at.toISOString().slice(0, 16)}`;
}

/**
 * A key that keeps an equal job (same kind and parameters) single while it is queued or running:
 * web processes starting together each ask for the start-up refresh, and one batch runs. Once it
 * has finished the key is let go (finishJob), and the next ask stores a new job.
 */
export function pendingRunKey(kind: string, params: Record<string, unknown>): string {
  return `${PENDING_KEY}${kind}:${crypto.createHash('sha256').update(JSON.stringify(params)).digest('hex')}`;
}

/** The job row for an enqueue, and whether it is new (only a new one is dispatched). */
export async function storeJob(db: Kysely<Database>, kind: string, params: Record<string, unknown>, options: EnqueueOptions = {}) {
  return options.once ? insertJobOnce(db, kind, params, options.once) : { job: await insertJob(db, kind, params), fresh: true };
}

/** What every runner shares: handlers, running a claimed job, running a part, finishing a split job. */
export abstract class JobExecutor {
  protected readonly handlers = new Map<string, JobHandler>();
  protected readonly partHandlers = new Map<string, PartHandlers>();

  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly log: Logger,
  ) {}

  register(kind: string, handler: JobHandler, parts?: PartHandlers): this {
    this.handlers.set(kind, handler);
    if (parts) this.partHandlers.set(kind, parts);
    return this;
  }

  abstract start(): Promise<void>;
  /**
   * Queues a job. With `once`, a key naming the run (a schedule's kind and minute), the job is
   * stored once however many processes enqueue it; the others get the same row back.
   */
  abstract enqueue(kind: string, params: Record<string, unknown>, options?: EnqueueOptions): Promise<JobRow>;
  /** Resolves when no job is queued or running. */
  abstract idle(): Promise<void>;
  abstract stop(): Promise<void>;
  /** Runs (or hands to the workers) the parts of a job just planned. */
  protected abstract dispatchParts(jobId: number, partIds: number[]): Promise<void>;

  async get(id: number) {
    const job = await findJob(this.db, id);
    if (!job) throw new NotFoundError(`No job ${id}.`);
    return job;
  }

  private throttled(write: (done: number, total: number, message?: string) => Promise<void>): { progress: JobProgress; flush: () => Promise<unknown> } {
    let last = 0;
    let pending: Promise<unknown> = Promise.resolve();
    return {
      progress: (done, total, message) => {
        const now = Date.now();
        if (now - last < 500 && done < total) return;
        last = now;
        pending = pending.then(() => write(done, total, message)).catch(() => undefined);
      },
      flush: () => pending,
    };
  }

  /** Runs a claimed job: its handler, then its parts when it splits (parts already planned are not planned again). */
  protected async runJob(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.kind);
    const { progress, flush } = this.throttled((d, t, m) => recordJobProgress(this.db, job.id, d, t, m));
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const planned = this.partHandlers.has(job.kind) ? await partsOf(this.db, job.id) : [];
      if (planned.length) {
        // Delivered again (a restart, or a queue's retry) after it was planned: carry on with the parts not done.
        return await this.dispatchParts(job.id, planned.filter((p) => p.status === 'queued' || p.status === 'running').map((p) => p.id));
      }
      // Jobs outlive the request that queued them: no request statement timeout, same actor.
      const outcome = await runAsBackground(() => handler(job.params as Record<string, unknown>, progress));
      await flush();
      if (outcome && typeof outcome === 'object') {
        if (!this.partHandlers.has(job.kind)) throw new Error(`job kind ${job.kind} split into parts but has no part handler`);
        const ids = await planParts(this.db, job.id, outcome.parts);
        if (ids.length === 0) return await this.finishSplit(job.id, job.kind, job.params as Record<string, unknown>);
        return await this.dispatchParts(job.id, ids);
      }
      await finishJob(this.db, job.id, 'done', outcome ?? null);
      this.log.info({ job: job.id, kind: job.kind, message: outcome }, 'job done');
    } catch (e) {
      await flush();
      // Lost the database mid-job: not the job's fault; it resumes when the database is back.
      if (isConnectionLoss(e)) throw e;
      const message = (e as Error).message;
      await finishJob(this.db, job.id, 'failed', message);
      this.log.warn({ job: job.id, kind: job.kind, err: message }, 'job failed');
    }
  }

  /**
   * Runs one part. A part that throws is failed when `lastAttempt` says no retry follows (the
   * job then fails with its error); otherwise the error is thrown for the queue to retry it.
   */
  protected async runPart(partId: number, lastAttempt: boolean): Promise<void> {
    const part = await claimPart(this.db, partId);
    if (!part) {
      // Finished by another delivery, or its job is gone or over; or its finisher died finishing the job.
      const orphan = await orphanedFinish(this.db, partId);
      if (orphan) {
        this.log.warn({ job: orphan.jobId, part: partId }, 'finishing a job whose finisher stopped');
        await this.finishSplit(orphan.jobId, orphan.kind, orphan.params);
      }
      return;
    }
    const handlers = this.partHandlers.get(part.kind);
    const { progress, flush } = this.throttled((d, _t, m) => recordPartProgress(this.db, part.id, part.job_id, d, m));
    let result: unknown;
    try {
      if (!handlers) throw new Error(`no part handler for job kind ${part.kind}`);
      result = await runAsBackground(() => handlers.run(part.jobParams, part.params as Record<string, unknown>, (done, message) => progress(done, Number.MAX_SAFE_INTEGER, message)));
      await flush();
    } catch (e) {
      await flush();
      if (isConnectionLoss(e) || !lastAttempt) throw e;
      const message = (e as Error).message;
      if (await finishPart(this.db, part.id, part.job_id, 'failed', { error: message })) await this.finishSplit(part.job_id, part.kind, part.jobParams);
      return;
    }
    if (await finishPart(this.db, part.id, part.job_id, 'done', result ?? null)) await this.finishSplit(part.job_id, part.kind, part.jobParams);
  }

  /** After the last part: the job's message from the parts' results, or its failure from the first failed part. */
  private async finishSplit(jobId: number, kind: string, params: Record<string, unknown>): Promise<void> {
    const parts = await partsOf(this.db, jobId);
    const failed = parts.find((p) => p.status === 'failed');
    try {
      if (failed) throw new Error(`part ${failed.n + 1} of ${parts.length} failed: ${(failed.result as { error?: string } | null)?.error ?? 'unknown error'}`);
      const message = await runAsBackground(() => this.partHandlers.get(kind)!.finish(params, parts.map((p) => p.result)));
      await finishJob(this.db, jobId, 'done', message);
      this.log.info({ job: jobId, kind, parts: parts.length, message }, 'job done');
    } catch (e) {
      if (isConnectionLoss(e)) throw e;
      await finishJob(this.db, jobId, 'failed', (e as Error).message);
      this.log.warn({ job: jobId, kind, err: (e as Error).message }, 'job failed');
    }
  }
}

/** The queue worked in this process, one job at a time; a job left 'running' by a killed process is run again at start. */
export class JobRunner extends JobExecutor {
  private running: Promise<void> | undefined;
  private stopped = false;

  /** Requeues jobs a killed process left running, then works through the queue. */
  async start(): Promise<void> {
    const resumed = await requeueRunningJobs(this.db);
    if (resumed.length) this.log.info({ jobs: resumed }, 'resuming interrupted jobs');
    this.kick();
  }

  async enqueue(kind: string, params: Record<string, unknown>, options: EnqueueOptions = {}) {
    const { job, fresh } = await storeJob(this.db, kind, params, options);
    if (fresh) this.kick();
    return job;
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.idle();
  }

  protected async dispatchParts(_jobId: number, partIds: number[]): Promise<void> {
    // One after another, in this process: the same parts a queue would hand to several workers.
    for (const id of partIds) {
      if (this.stopped) return; // the job stays running and resumes at the next start
      await this.runPart(id, true);
    }
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.drain()
      .catch((e: unknown) => {
        // The database went away between jobs, or while a job's end was being written: the job
        // row is still 'running'; put it back in the queue once the database answers again.
        this.log.warn({ err: (e as Error).message }, 'job runner lost the database; retrying');
        this.retryLater();
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  private retryTimer: NodeJS.Timeout | undefined;

  /** Every 5 s until the database answers: requeue interrupted jobs (as at start) and carry on. */
  private retryLater(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.stopped) return;
      this.start().catch(() => this.retryLater());
    }, 5000);
    this.retryTimer.unref();
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const job = await claimNextJob(this.db);
      if (!job) return;
      await this.runJob(job);
    }
  }
}
