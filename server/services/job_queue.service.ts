// Jobs on a PostgreSQL-backed queue, for more than one process: the web server only enqueues, and
// `npm run worker` processes (on any machine with DATABASE_URL and the raster store) take jobs and
// the parts of split jobs from it. pg-boss, not graphile-worker: a job a killed worker held is
// retried once its expiry passes (pg-boss's supervisor), which graphile-worker leaves locked for four
// hours unless something else notices the dead worker; pg-boss 10 is also the last line that runs
// on Node 20. The job table stays the record users and the API see; pg-boss carries only ids.
import PgBoss from 'pg-boss';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { claimJob } from '../db/repositories/jobs.repository';
import { JobExecutor, storeJob, type EnqueueOptions } from './jobs.service';

const JOBS = 'atalaya-job';
const PARTS = 'atalaya-part';

export interface QueueOptions {
  connectionString: string;
  /** Whether this process takes work (a worker) or only enqueues (a web server). */
  work: boolean;
  /** A part not finished in this time is given to another worker (its worker is taken for dead). */
  partTimeoutS: number;
  /** The same for a whole job that is not split (an ingest, a fetch). */
  jobTimeoutS: number;
}

const RETRIES = 3;

export class QueueJobRunner extends JobExecutor {
  private readonly boss: PgBoss;
  private started = false;

  constructor(db: Kysely<Database>, log: Logger, private readonly options: QueueOptions) {
    super(db, log);
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      max: 4,
      application_name: options.work ? 'atalaya worker (queue)' : 'atalaya web (queue)',
      // Expired parts are noticed within a fifth of their timeout (at least every second, at most every minute).
      maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(options.partTimeoutS / 5))),
      supervise: options.work,
      schedule: false,
    });
    this.boss.on('error', (err) => this.log.warn({ err: err.message }, 'job queue error'));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
    await this.boss.createQueue(JOBS, { name: JOBS, retryLimit: RETRIES, retryDelay: 2, expireInSeconds: this.options.jobTimeoutS });
    await this.boss.createQueue(PARTS, { name: PARTS, retryLimit: RETRIES, retryDelay: 1, expireInSeconds: this.options.partTimeoutS });
    if (!this.options.work) return;
    await this.boss.work<{ id: number }>(JOBS, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, async ([m]) => {
      const job = await claimJob(this.db, m!.data.id);
      if (job) await this.runJob(job);
    });
    await this.boss.work<{ id: number }>(PARTS, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, async ([m]) => {
      await this.runPart(m!.data.id, m!.retryCount >= RETRIES);
    });
    this.log.info({ partTimeoutS: this.options.partTimeoutS }, 'worker taking jobs from the queue');
  }

  async enqueue(kind: string, params: Record<string, unknown>, options: EnqueueOptions = {}) {
    const { job, fresh } = await storeJob(this.db, kind, params, options);
    if (!fresh) return job; // another process queued this run
    await this.start();
    await this.boss.send(JOBS, { id: job.id });
    return job;
  }

  protected async dispatchParts(_jobId: number, partIds: number[]): Promise<void> {
    await this.boss.insert(partIds.map((id) => ({ name: PARTS, data: { id }, retryLimit: RETRIES, retryDelay: 1, expireInSeconds: this.options.partTimeoutS })));
  }

  /** No job queued or running, whichever process runs them (tests and the CLI wait on it). */
  async idle(): Promise<void> {
    for (;;) {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM job WHERE status IN ('queued', 'running')`.execute(this.db);
      if (rows[0]!.n === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // A part cut here is retried by another worker after its timeout; waiting longer would hold a deploy.
    await this.boss.stop({ graceful: true, timeout: 10_000, wait: true });
  }
}
