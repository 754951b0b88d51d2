// Loss per year for posted geometries, areas, sites and activities, and batches that fill the
// statistics table. Single geometries are computed in the calling thread (one large protected area
// takes milliseconds); batches are split into spatially sorted chunks over the worker pool.
import { refreshStoreMeta } from '../raster/remote/raster_objects';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import {
  deleteOrphanStats,
  findStats,
  subjectExists,
  subjectsNeedingStats,
  upsertStats,
  type StatSubject,
  type StatValues,
  type SubjectFilter,
} from '../db/repositories/loss_statistics.repository';
import { BadRequestError, NotFoundError } from '../errors';
import { lossSeries, spansMethodChange, type LossSeries } from '../analysis/zonal/loss_series';
import { zonalLossOfGeometry, zonalLossOfPolygons, type ZonalLoss } from '../analysis/zonal/zonal_loss';
import { polygonsFromWkb } from '../analysis/zonal/wkb';
import type { ZonalPool } from '../analysis/zonal/zonal_pool';
import type { RasterStores } from './rasters.service';
import type { GeometryPool } from '../geometry/geometry_pool';
import type { GeometryLimits } from '../geometry/limits';
import { prepareForAnalysis } from './user_geometry.service';
import { PIXEL_RULE, provenance, resolveLayers, statKey, type LayerChoice, type ResolvedLayers } from './loss_layers';

export type LossAnswer = LossSeries & { provenance: ReturnType<typeof provenance> };

/** The layer's last loss year as its code (23 = 2023). */
export function lastCode(layers: ResolvedLayers): number {
  return Number(layers.loss.properties.lastYear ?? 23);
}

/** The codes of the layer's first and last loss years (stores ingested before the first was kept: 1). */
export function yearCodes(layers: ResolvedLayers): { first: number; last: number } {
  return { first: Number(layers.loss.properties.firstYear ?? 1), last: lastCode(layers) };
}

/** The open stores a zonal count reads for a layer choice. */
async function openStores(rasters: RasterStores, layers: ResolvedLayers) {
  return {
    loss: await rasters.get(String(layers.loss.id)),
    ...(layers.treecover ? { treecover: await rasters.get(String(layers.treecover.id)) } : {}),
    threshold: layers.threshold,
  };
}

const MAX_BUFFER_M = 100_000;

function storeRef(l: { properties: Record<string, unknown> }, stamp: string) {
  return { dir: String(l.properties.store), stamp };
}

/**
 * Builds the forest layer of a (loss, tree cover, threshold) choice on a worker when it is missing
 * (seconds for a Hansen tile), so the calling thread then only opens it.
 */
export async function prepareForest(pool: ZonalPool | undefined, layers: ResolvedLayers): Promise<void> {
  if (!pool) return;
  // The worker threads open the stores from their folders: a layer another node put in the object store needs its meta.json here.
  for (const l of [layers.loss, layers.treecover]) if (l && typeof l.properties.store === 'string') await refreshStoreMeta(l.properties.store);
  await pool.run({ loss: storeRef(layers.loss, layers.stamp), ...(layers.treecover ? { treecover: storeRef(layers.treecover, layers.stamp) } : {}), threshold: layers.threshold, items: [] });
}

/**
 * A posted GeoJSON geometry: polygons as they are, points and lines (or polygons) grown by
 * buffer_m. Checked against the caller's limits and repaired/buffered on the geometry pool (never
 * in PostGIS), then counted here.
 */
export async function lossForGeometry(
  db: Kysely<Database>,
  rasters: RasterStores,
  geometry: unknown,
  choice: LayerChoice & { bufferM?: number | undefined },
  work: { pool?: ZonalPool | undefined; geometry: GeometryPool; limits: GeometryLimits },
): Promise<LossAnswer> {
  const layers = await resolveLayers(db, choice);
  const bufferM = choice.bufferM ?? 0;
  if (bufferM < 0 || bufferM > MAX_BUFFER_M) throw new BadRequestError(`buffer_m must be between 0 and ${MAX_BUFFER_M}.`);
  const prepared = await prepareForAnalysis(work.geometry, geometry, work.limits, bufferM);
  if (bufferM === 0 && !/POLYGON|GEOMETRYCOLLECTION/.test(prepared.type)) throw new BadRequestError(`A ${prepared.type.toLowerCase()} has no area: give buffer_m (metres) to analyse the area around it.`);
  if (!prepared.geometry) throw new BadRequestError('geometry has no polygonal part to analyse.');
  const series = await seriesOfPolygon(rasters, work.pool, layers, prepared.geometry);
  return { ...series, provenance: provenance(layers, { bufferM, spansMethodChange: spansMethodChange(series.years) }) };
}

/**
 * The loss series of one polygon or multipolygon (GeoJSON geometry), counted in the calling thread
 * (milliseconds for one large protected area) once the forest layer exists.
 */
export async function seriesOfPolygon(rasters: RasterStores, pool: ZonalPool | undefined, layers: ResolvedLayers, polygon: unknown): Promise<LossSeries> {
  await prepareForest(pool, layers);
  return lossSeries(zonalLossOfGeometry(polygon as Parameters<typeof zonalLossOfGeometry>[0], await openStores(rasters, layers)), yearCodes(layers));
}

/** One subject's series: the stored statistic when it is current, else computed now and stored. */
export async function lossForSubject(db: Kysely<Database>, rasters: RasterStores, subject: StatSubject, id: number, choice: LayerChoice & { bufferM?: number | undefined }, pool?: ZonalPool): Promise<LossAnswer> {
  const layers = await resolveLayers(db, choice);
  const bufferM = choice.bufferM ?? (subject === 'area' ? 0 : 5000);
  if (bufferM < 0 || bufferM > MAX_BUFFER_M) throw new BadRequestError(`buffer_m must be between 0 and ${MAX_BUFFER_M}.`);
  const key = statKey(layers, bufferM);
  await prepareForest(pool, layers);
  await refreshSubjects(db, rasters, undefined, { subject, ids: [id] }, layers, bufferM);
  const [stat] = await findStats(db, subject, [id], key);
  if (!stat) {
    if (!(await subjectExists(db, subject, id))) throw new NotFoundError(`No ${subject} ${id}.`);
    throw new BadRequestError(subject === 'area' ? `Area ${id} has no polygon to analyse.` : `The ${subject} ${id} has no polygon: give buffer_m (metres) to analyse the area around its sites.`);
  }
  return storedAnswer(stat, layers);
}

type StatRow = Awaited<ReturnType<typeof findStats>>[number];

export type { StatSubject };

/** The stored statistics of every published subject of a kind (one layer pair and buffer), each as an answer. */
export async function storedStatistics(db: Kysely<Database>, subject: StatSubject, layers: ResolvedLayers, bufferM: number, kind: string | undefined) {
  const rows = await findStats(db, subject, null, statKey(layers, bufferM), kind, true);
  return rows.map((r) => ({ subject: r.subject, id: r.subject_id, ...storedAnswer(r, layers) }));
}

export function storedAnswer(stat: StatRow, layers: ResolvedLayers): LossAnswer {
  const total = stat.years.reduce((s, y) => s + y.loss_ha, 0);
  return {
    area_ha: stat.area_ha,
    forest2000_ha: stat.forest2000_ha,
    forest2000_px: Number(stat.forest_pixels),
    covered_fraction: Number(stat.pixels) === 0 ? 0 : Math.round((stat.covered_area_ha / stat.area_ha) * 1e6) / 1e6,
    pixels: Number(stat.covered_pixels),
    total_loss_ha: Math.round(total * 1e4) / 1e4,
    years: stat.years,
    provenance: provenance(layers, { bufferM: stat.buffer_m, computedAt: stat.computed_at, spansMethodChange: spansMethodChange(stat.years) }),
  };
}

function toValues(id: number, inputHash: string, z: ZonalLoss, codes: { first: number; last: number }): StatValues {
  const s = lossSeries(z, codes);
  return { subjectId: id, inputHash, pixels: z.pixels, coveredPixels: z.coveredPixels, areaHa: z.areaHa, coveredAreaHa: z.coveredAreaHa, forestPixels: z.forestPixels, forest2000Ha: z.forest2000Ha, years: s.years };
}

export interface BatchProgress {
  done: number;
  total: number;
}

const CHUNK = 24;

/**
 * Computes the statistics that are missing or stale for the subjects of `filter` (all of them with
 * `force`), on the worker pool when given, writing each finished chunk in its own statement so a
 * killed batch keeps what it finished and the next run does only the rest.
 */
export async function refreshSubjects(
  db: Kysely<Database>,
  rasters: RasterStores,
  pool: ZonalPool | undefined,
  filter: SubjectFilter,
  layers: ResolvedLayers,
  bufferM: number,
  options: { force?: boolean; onProgress?: (p: BatchProgress) => void } = {},
): Promise<{ computed: number; failed: { id: number; error: string }[] }> {
  const key = statKey(layers, bufferM);
  const pending = await subjectsNeedingStats(db, filter, key, layers.stamp, options.force ?? false);
  const failed: { id: number; error: string }[] = [];
  let done = 0;
  options.onProgress?.({ done, total: pending.length });
  if (pending.length === 0) return { computed: 0, failed };
  const codes = yearCodes(layers);
  const hashes = new Map(pending.map((t) => [t.id, t.inputHash]));
  if (!pool || pending.length < CHUNK) {
    const stores = await openStores(rasters, layers);
    const values: StatValues[] = [];
    for (const t of pending) {
      try {
        values.push(toValues(t.id, t.inputHash, zonalLossOfPolygons(polygonsFromWkb(t.wkb), stores), codes));
      } catch (e) {
        failed.push({ id: t.id, error: (e as Error).message });
      }
      options.onProgress?.({ done: ++done, total: pending.length });
    }
    await upsertStats(db, filter.subject, key, layers.stamp, PIXEL_RULE, values);
    return { computed: values.length, failed };
  }
  await prepareForest(pool, layers); // once, before the workers would each build it
  const task = (items: typeof pending) => ({
    loss: storeRef(layers.loss, layers.stamp),
    ...(layers.treecover ? { treecover: storeRef(layers.treecover, layers.stamp) } : {}),
    threshold: layers.threshold,
    items: items.map((t) => ({ id: t.id, wkb: t.wkb })),
  });
  let computed = 0;
  let writes = Promise.resolve();
  // Contiguous runs of the spatially sorted list: each worker keeps reading the same blocks, so a
  // block is inflated by about one thread; 16 runs per thread still give a smooth progress bar.
  const size = Math.max(CHUNK, Math.ceil(pending.length / (pool.size * 16)));
  const chunks: (typeof pending)[] = [];
  for (let i = 0; i < pending.length; i += size) chunks.push(pending.slice(i, i + size));
  await Promise.all(
    chunks.map(async (chunk) => {
      const results = await pool.run(task(chunk));
      const values: StatValues[] = [];
      for (const r of results) {
        if (r.result) values.push(toValues(r.id, hashes.get(r.id)!, r.result, codes));
        else failed.push({ id: r.id, error: r.error ?? 'unknown error' });
      }
      // Writes go one after another: the embedded database has one connection.
      writes = writes.then(() => upsertStats(db, filter.subject, key, layers.stamp, PIXEL_RULE, values));
      await writes;
      computed += values.length;
      done += chunk.length;
      options.onProgress?.({ done, total: pending.length });
    }),
  );
  return { computed, failed };
}

export interface RefreshScope {
  areaKind?: string;
  areas?: boolean;
  /** Areas of this kind also grown by `ring.bufferM` (the ring around them = grown minus own). */
  ring?: { kind: string; bufferM: number };
  sites?: boolean;
  activities?: boolean;
  bufferM: number;
}

/** Everything a scope covers, for one layer choice; orphans of deleted subjects go first. */
export async function refreshAll(
  db: Kysely<Database>,
  rasters: RasterStores,
  pool: ZonalPool | undefined,
  choice: LayerChoice,
  scope: RefreshScope,
  options: { force?: boolean; onProgress?: (p: BatchProgress & { stage: string }) => void } = {},
) {
  const layers = await resolveLayers(db, choice);
  await deleteOrphanStats(db);
  const stages: { stage: string; filter: SubjectFilter; bufferM: number }[] = [];
  if (scope.areas !== false) stages.push({ stage: scope.areaKind ? `areas (${scope.areaKind})` : 'areas', filter: { subject: 'area', ...(scope.areaKind ? { areaKind: scope.areaKind } : {}) }, bufferM: 0 });
  if (scope.ring) stages.push({ stage: `${scope.ring.kind} rings (${scope.ring.bufferM} m)`, filter: { subject: 'area', areaKind: scope.ring.kind }, bufferM: scope.ring.bufferM });
  if (scope.sites) stages.push({ stage: `site buffers (${scope.bufferM} m)`, filter: { subject: 'site' }, bufferM: scope.bufferM });
  if (scope.activities) stages.push({ stage: `activity buffers (${scope.bufferM} m)`, filter: { subject: 'activity' }, bufferM: scope.bufferM });
  const summary: { stage: string; computed: number; failed: { id: number; error: string }[] }[] = [];
  for (const s of stages) {
    const r = await refreshSubjects(db, rasters, pool, s.filter, layers, s.bufferM, {
      ...(options.force ? { force: true } : {}),
      onProgress: (p) => options.onProgress?.({ ...p, stage: s.stage }),
    });
    summary.push({ stage: s.stage, ...r });
  }
  return { layers, summary };
}
