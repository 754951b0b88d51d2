// Background jobs in the job table, run one at a time in this process. Progress is written to the
// row (at most twice a second) so any client, or the CLI, can follow it; a job left 'running' by a
// killed process is queued again at start and resumes, since statistics batches skip what is done.
import { runAsBackground } from '../request_context';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { NotFoundError } from '../errors';
import { isConnectionLoss } from '../db/connection_errors';
import { claimNextJob, findJob, finishJob, insertJob, recordJobProgress, requeueRunningJobs } from '../db/repositories/jobs.repository';

export type JobHandler = (params: Record<string, unknown>, progress: (done: number, total: number, message?: string) => void) => Promise<string | void>;

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
  ) {}

  register(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  /** Requeues jobs a killed process left running, then works through the queue. */
  async start(): Promise<void> {
    const resumed = await requeueRunningJobs(this.db);
    if (resumed.length) this.log.info({ jobs: resumed }, 'resuming interrupted jobs');
    this.kick();
  }

  async enqueue(kind: string, params: Record<string, unknown>) {
    const job = await insertJob(this.db, kind, params);
    this.kick();
    return job;
  }

  async get(id: number) {
    const job = await findJob(this.db, id);
    if (!job) throw new NotFoundError(`No job ${id}.`);
    return job;
  }

  /** Resolves when the queue is empty (tests and the CLI wait on it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.idle();
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
      const handler = this.handlers.get(job.kind);
      let last = 0;
      let pending: Promise<unknown> = Promise.resolve();
      const progress = (done: number, total: number, message?: string) => {
        const now = Date.now();
        if (now - last < 500 && done < total) return;
        last = now;
        pending = pending.then(() => recordJobProgress(this.db, job.id, done, total, message)).catch(() => undefined);
      };
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        // Jobs outlive the request that queued them: no request statement timeout, same actor.
        const message = await runAsBackground(() => handler(job.params, progress));
        await pending;
        await finishJob(this.db, job.id, 'done', message ?? null);
        this.log.info({ job: job.id, kind: job.kind, message }, 'job done');
      } catch (e) {
        await pending;
        // Lost the database mid-job: not the job's fault; it resumes when the database is back.
        if (isConnectionLoss(e)) throw e;
        const message = (e as Error).message;
        await finishJob(this.db, job.id, 'failed', message);
        this.log.warn({ job: job.id, kind: job.kind, err: message }, 'job failed');
      }
    }
  }
}
