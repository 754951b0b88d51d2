// What the analysis routes and jobs share in one process: open raster stores, the worker pool for
// batches, the job runner, and the default buffer around sites.
import { auditRecompute } from './audit.service';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { ZonalPool } from '../analysis/zonal/zonal_pool';
import { GeometryPool } from '../geometry/geometry_pool';
import { JobRunner, pendingRunKey, type JobExecutor } from './jobs.service';
import { QueueJobRunner, type QueueOptions } from './job_queue.service';
import { planStatistics, runStatisticsPart, summarise, type PartResult, type StatisticsPart } from './statistics_parts';
import { RasterStores } from './rasters.service';
import { recomputeSpatialIndicators } from './indicators.service';
import { findRasterLayer, rasterLayersOfKind } from '../db/repositories/raster_layers.repository';
import { refreshAlertStatistics } from './alert_statistics.service';
import { defaultLossLayer, resolveLayers } from './loss_layers';

export const STATISTICS_JOB = 'loss-statistics';
export const INDICATORS_JOB = 'spatial-indicators';
export const ALERT_STATISTICS_JOB = 'alert-statistics';

export interface AnalysisContext {
  rasters: RasterStores;
  pool: ZonalPool;
  /** Repair and buffering of user geometry, off the main thread and the database, with a time limit. */
  geometry: GeometryPool;
  jobs: JobExecutor;
  siteBufferM: number;
  close(): Promise<void>;
}

export interface StatisticsJobParams {
  kind?: string;
  areas?: boolean;
  sites?: boolean;
  activities?: boolean;
  buffer_m?: number;
  layer?: string | number;
  treecover?: string | number | null;
  threshold?: number;
  force?: boolean;
  /** Also the rings around the areas of a kind (concession review). */
  ring?: { kind: string; bufferM: number };
}

/** The ring around each concession for the review: 5 km outside its boundary. */
export { CONCESSION_RING_M } from '../geometry/limits';
import { CONCESSION_RING_M } from '../geometry/limits';

export function createAnalysisContext(db: Kysely<Database>, log: Logger, options: { rasters?: RasterStores; siteBufferM?: number; geometryTimeLimitMs?: number; queue?: QueueOptions | undefined; threads?: number | undefined } = {}): AnalysisContext {
  const rasters = options.rasters ?? new RasterStores(db);
  const pool = options.threads ? new ZonalPool(options.threads) : new ZonalPool();
  const geometry = new GeometryPool(options.geometryTimeLimitMs !== undefined ? { timeLimitMs: options.geometryTimeLimitMs } : {});
  const jobs: JobExecutor = options.queue ? new QueueJobRunner(db, log, options.queue) : new JobRunner(db, log);
  const siteBufferM = options.siteBufferM ?? 5000;
  // A batch is split into runs of subjects (parts), so several workers share it; see statistics_parts.ts.
  const choiceOf = (p: StatisticsJobParams) => ({ layer: p.layer, treecover: p.treecover, threshold: p.threshold });
  jobs.register(
    STATISTICS_JOB,
    async (raw) => {
      const p = raw as StatisticsJobParams;
      const scope = { ...(p.kind ? { areaKind: p.kind } : {}), ...(p.ring ? { ring: p.ring } : {}), areas: p.areas !== false, sites: p.sites === true, activities: p.activities === true, bufferM: p.buffer_m ?? siteBufferM };
      return { parts: await planStatistics(db, choiceOf(p), scope, p.force === true) };
    },
    {
      run: (raw, part, progress) => runStatisticsPart(db, rasters, pool, choiceOf(raw as StatisticsJobParams), part as unknown as StatisticsPart, (raw as StatisticsJobParams).force === true, progress),
      finish: async (raw, results) => {
        const p = raw as StatisticsJobParams;
        const layers = await resolveLayers(db, choiceOf(p));
        const summary = summarise(results as PartResult[]);
        const failed = summary.flatMap((s) => s.failed.map((f) => `${s.stage} ${f.id}: ${f.error}`));
        // One audit entry per batch: which raster (and version) the published statistics now come from.
        await auditRecompute(db, 'loss_statistic', layers.loss.name, {
          loss: { id: layers.loss.id, name: layers.loss.name, version: layers.loss.version ?? null },
          treecover: layers.treecover ? { id: layers.treecover.id, name: layers.treecover.name, version: layers.treecover.version ?? null } : null,
          threshold: p.threshold ?? null,
          params: p,
          stages: summary.map((s) => ({ stage: s.stage, computed: s.computed, failed: s.failed.length })),
        });
        return `${layers.loss.name}: ${summary.map((s) => `${s.stage} ${s.computed} computed`).join('; ')}${failed.length ? `; ${failed.length} failed (${failed.slice(0, 3).join('; ')})` : ''}`;
      },
    },
  );
  jobs.register(INDICATORS_JOB, async (raw, progress) => {
    const p = raw as { force?: boolean };
    const r = await recomputeSpatialIndicators(db, rasters, pool, { ...(p.force ? { force: true } : {}) });
    progress(r.checked, r.checked, 'spatial indicators');
    return `${r.recomputed} of ${r.checked} spatial indicators recomputed${r.failed.length ? `; ${r.failed.length} failed (${r.failed.slice(0, 3).map((f) => `${f.id}: ${f.error}`).join('; ')})` : ''}`;
  });
  jobs.register(ALERT_STATISTICS_JOB, async (raw, progress) => {
    const p = raw as { layer: string };
    const layer = await findRasterLayer(db, p.layer);
    if (layer?.kind !== 'alert') return `no alert layer ${p.layer}`;
    const r = await refreshAlertStatistics(db, rasters, layer, siteBufferM, (done, total) => progress(done, total, 'alert series'));
    return `${layer.name}: ${r.recomputed} recomputed, ${r.carried} untouched by the changed blocks, ${r.current} already current`;
  });
  return {
    rasters,
    pool,
    geometry,
    jobs,
    siteBufferM,
    async close() {
      await jobs.stop();
      await pool.close();
      await geometry.close();
      rasters.close();
    },
  };
}

/**
 * The refresh run after every change of areas, sites or rasters: incremental, so cheap when little
 * changed. Statistics are kept for every ingested loss layer (with its own tree cover partner), so
 * the review and the panels answer for whichever layer the user picks; the default layer goes first.
 * Returns the default layer's job.
 */
export async function refreshEverything(db: Kysely<Database>, ctx: AnalysisContext, options: { atStart?: boolean } = {}) {
  // At a start nothing has changed since another web process's start-up refresh: join it while it is
  // pending. After a change (an import, a fetch) a new batch runs: a running one planned without it.
  const once = (kind: string, params: Record<string, unknown>) => (options.atStart ? { once: pendingRunKey(kind, params) } : {});
  const all = await rasterLayersOfKind(db, 'lossyear');
  const first = defaultLossLayer(all);
  const ingested = all.filter((l) => typeof l.properties.store === 'string' && l !== first);
  let stats: Awaited<ReturnType<JobExecutor['enqueue']>> | undefined;
  // Loss statistics wait for a loss layer; spatial indicators run anyway (linked areas need no raster).
  for (const layer of first ? [first, ...ingested] : []) {
    const params = { layer: layer.id, areas: true, sites: true, activities: true, buffer_m: ctx.siteBufferM, ring: { kind: 'forest_concession', bufferM: CONCESSION_RING_M } } satisfies StatisticsJobParams;
    const job = await ctx.jobs.enqueue(STATISTICS_JOB, params, once(STATISTICS_JOB, params));
    stats ??= job;
  }
  await ctx.jobs.enqueue(INDICATORS_JOB, {}, once(INDICATORS_JOB, {}));
  // Alert series of every alert layer (cheap when current: only changed subjects and blocks count).
  for (const layer of await rasterLayersOfKind(db, 'alert')) await ctx.jobs.enqueue(ALERT_STATISTICS_JOB, { layer: layer.name }, once(ALERT_STATISTICS_JOB, { layer: layer.name }));
  return stats;
}
