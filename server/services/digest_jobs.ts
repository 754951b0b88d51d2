// Alert digests as a background job: make the digests that are due (each committed with the alerts
// it reports), then deliver whatever is pending, this run's and earlier runs' unsent ones. Enqueued
// on ATALAYA_DIGEST_SCHEDULE and by an admin (POST /api/alerts/digests/run).
import { Cron } from 'croner';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { scheduledRunKey } from './jobs.service';
import type { AnalysisContext } from './analysis_context';
import { makeDueDigests } from './alert_digests.service';
import { createMailer, deliverPendingDigests } from './digest_delivery.service';

export const DIGEST_JOB = 'alert-digests';

export interface DigestJobParams {
  /** Every user with subscriptions, due or not. */
  force?: boolean;
  user_ids?: number[];
}

/** One run: make, then deliver. Shared by the job and `npm run alerts:digest`. */
export async function runDigests(db: Kysely<Database>, config: Config, log: Logger, ctx: Pick<AnalysisContext, 'rasters' | 'siteBufferM'>, params: DigestJobParams, progress?: (done: number, total: number, message?: string) => void): Promise<string> {
  const { publicUrl, smtpUrl, mailFrom, webhookPrivateHosts } = config.digests;
  const made = await makeDueDigests(
    { db, rasters: ctx.rasters, siteBufferM: ctx.siteBufferM, publicUrl, smtp: Boolean(smtpUrl) },
    { ...(params.force ? { force: true } : {}), ...(params.user_ids ? { userIds: params.user_ids } : {}), onUser: () => progress?.(0, 1, 'making digests') },
  );
  const mailer = createMailer(smtpUrl);
  try {
    const delivered = await deliverPendingDigests({ db, mailer, mailFrom, publicUrl, webhookPrivateHosts, log });
    progress?.(1, 1);
    return `${made.users} users due, ${made.digests.length} digests made; ${delivered.sent} deliveries sent, ${delivered.failed} failed`;
  } finally {
    mailer?.close();
  }
}

export function registerDigestJob(db: Kysely<Database>, analysis: AnalysisContext, config: Config, log: Logger): void {
  analysis.jobs.register(DIGEST_JOB, (raw, progress) => runDigests(db, config, log, analysis, raw as DigestJobParams, progress));
}

/** Enqueues the digest job on the configured schedule; returns how to stop it. */
export function startDigestSchedule(config: Config, analysis: AnalysisContext, log: Logger): (() => void) | undefined {
  const { schedule } = config.digests;
  if (!schedule) return undefined;
  const cron = new Cron(schedule, { protect: true }, () => {
    // Every web process runs the schedule; the run's key stores it once.
    void analysis.jobs.enqueue(DIGEST_JOB, {}, { once: scheduledRunKey(DIGEST_JOB) }).then(
      (job) => log.info({ job: job.id }, 'alert digests enqueued'),
      (err: unknown) => log.error({ err }, 'could not enqueue the alert digests'),
    );
  });
  log.info({ schedule, next: cron.nextRun()?.toISOString(), smtp: Boolean(config.digests.smtpUrl) }, 'alert digests will run on schedule');
  return () => cron.stop();
}
