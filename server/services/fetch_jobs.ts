// Fetching real sources as a background job (the server's scheduled refresh, off by default): the
// sources of ATALAYA_FETCH_SOURCES, one after another, each stored or left as it was; then the
// statistics follow whatever changed.
import { Cron } from 'croner';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { findSources, loadCatalogue } from '../sources/catalogue';
import { fetchSource } from './source_fetch.service';
import { refreshEverything, type AnalysisContext } from './analysis_context';
import { scheduledRunKey } from './jobs.service';

export const FETCH_JOB = 'fetch-sources';

interface FetchJobParams {
  sources: string[];
  bbox?: [number, number, number, number];
}

export function registerFetchJob(db: Kysely<Database>, analysis: AnalysisContext, dataDir: string): void {
  analysis.jobs.register(FETCH_JOB, async (raw, progress) => {
    const p = raw as unknown as FetchJobParams;
    const sources = findSources(loadCatalogue(), p.sources);
    const lines: string[] = [];
    let changed = false;
    let failed = 0;
    for (const [i, source] of sources.entries()) {
      progress(i, sources.length, source.id);
      try {
        const r = await fetchSource(db, source, { dataDir, ...(p.bbox ? { bbox: p.bbox } : {}), geometryPool: analysis.geometry });
        if (r.status === 'imported') changed = true;
        lines.push(`${r.source}: ${r.status.replace('_', ' ')} (${r.detail})`);
      } catch (e) {
        failed++;
        lines.push(`${source.id}: failed (${(e as Error).message})`);
      }
    }
    progress(sources.length, sources.length);
    if (changed) await refreshEverything(db, analysis);
    const message = lines.join('; ');
    // A failed source fails the job, so the job list shows it; the others were stored all the same.
    if (failed) throw new Error(message);
    return message;
  });
}

/** Enqueues the fetch on the configured schedule; returns how to stop it. */
export function startFetchSchedule(config: Config, analysis: AnalysisContext, log: Logger): (() => void) | undefined {
  const { schedule, sources, bbox } = config.fetch;
  if (!schedule) return undefined;
  findSources(loadCatalogue(), sources); // an unknown id fails the start, not the first run a week later
  const cron = new Cron(schedule, { protect: true }, () => {
    // Every web process runs the schedule; the run's key stores it once.
    void analysis.jobs.enqueue(FETCH_JOB, { sources, ...(bbox ? { bbox } : {}) } satisfies FetchJobParams, { once: scheduledRunKey(FETCH_JOB) }).then(
      (job) => log.info({ job: job.id, sources }, 'scheduled fetch of real sources enqueued'),
      (err: unknown) => log.error({ err }, 'could not enqueue the scheduled fetch'),
    );
  });
  log.info({ schedule, sources, next: cron.nextRun()?.toISOString() }, 'real sources will be refreshed on schedule');
  return () => cron.stop();
}
