// Indicators of activities: manual ones take measurements; spatial ones are computed from the rasters
// and the links, and recomputed when their inputs change, the previous values kept as history.
// Each answer carries its progress status by the documented linear-path rule.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { spatialDefinitionSchema, type Indicator, type IndicatorInput, type MeasurementInput, type SpatialDefinition } from '../api';
import { AppError, BadRequestError, NotFoundError } from '../errors';
import {
  insertIndicator,
  indicatorNamed,
  insertMeasurement,
  listIndicatorRows,
  listMeasurementRows,
  markIndicatorError,
  replaceComputedValues,
  type IndicatorRow,
  type MeasurementRow,
} from '../db/repositories/indicators.repository';
import { progressStatus, STATUS_RULE, type Direction } from '../analysis/progress/progress_status';
import { round } from '../analysis/zonal/loss_series';
import type { ZonalPool } from '../analysis/zonal/zonal_pool';
import type { RasterStores } from './rasters.service';
import { seriesOfPolygon } from './loss_statistics.service';
import { linkedAreaUnion, lossZone } from '../db/repositories/zones';
import { activityExists } from '../db/repositories/activities.repository';
import { resolveLayers } from './loss_layers';

export { STATUS_RULE };

/** Yearly series are smoothed over this many latest years before they are held against the path. */
const SMOOTH_YEARS = 3;

const sha1 = (v: unknown) => createHash('sha1').update(JSON.stringify(v)).digest('hex');

function isYearly(def: SpatialDefinition | undefined): boolean {
  return def?.metric === 'loss_near_sites' || def?.metric === 'loss_in_linked_areas';
}

interface Computed {
  hash: string;
  values: { measured_at: string; value: number }[];
  inputs: Record<string, unknown>;
  source: string;
}

/**
 * The indicator's values, or null when its inputs (hashed before anything is counted) are those it
 * was last computed from: a refresh after every start and import then costs a query per indicator.
 */
async function computeSpatial(db: Kysely<Database>, rasters: RasterStores, pool: ZonalPool | undefined, row: IndicatorRow, today: string, force: boolean): Promise<Computed | null> {
  const def = spatialDefinitionSchema.parse(row.definition);
  const unchanged = (hash: string) => !force && hash === row.input_hash;
  if (def.metric === 'linked_area') {
    const filter = def.property ? { property: def.property, equals: def.equals ?? '' } : undefined;
    const r = await linkedAreaUnion(db, row.activity_id, def.area_kind, filter);
    const inputs = { metric: def.metric, area_kind: def.area_kind, filter: filter ? { [filter.property]: filter.equals } : null, area_ids: r?.ids ?? [], geometry_md5: r?.md5 ?? null };
    const hash = sha1({ def, md5: inputs.geometry_md5, ids: inputs.area_ids });
    if (unchanged(hash)) return null;
    return { hash, values: [{ measured_at: today, value: round(r?.ha ?? 0, 2) }], inputs, source: `Atalaya: geodesic area of linked ${def.area_kind} areas (overlaps counted once)` };
  }
  const layers = await resolveLayers(db, {});
  const zone = await lossZone(db, row.activity_id, def);
  const hash = sha1({ def, md5: zone.md5, stamp: layers.stamp });
  if (unchanged(hash)) return null;
  const inputs = { metric: def.metric, layer: { id: layers.loss.id, name: layers.loss.name, version: layers.loss.version }, treecover: layers.treecover?.name ?? null, threshold: layers.treecover ? layers.threshold : null, raster_stamp: layers.stamp, geometry_md5: zone.md5, ...(zone.areaIds ? { area_ids: zone.areaIds } : { distance_m: (def as { distance_m: number }).distance_m }) };
  if (!zone.geojson) return { hash, values: [], inputs, source: '' };
  const series = await seriesOfPolygon(rasters, pool, layers, JSON.parse(zone.geojson));
  // A zone the loss layer does not reach has no data, not zero loss.
  if (series.covered_fraction === 0) return { hash, values: [], inputs: { ...inputs, note: 'the zone lies outside the loss layer' }, source: '' };
  const pct = def.measure === 'pct_forest2000';
  if (pct && series.forest2000_ha <= 0) return { hash, values: [], inputs: { ...inputs, note: 'no forest in 2000 in the zone' }, source: '' };
  const values = series.years.map((y) => ({ measured_at: `${y.year}-12-31`, value: pct ? round((100 * y.loss_ha) / series.forest2000_ha, 4) : y.loss_ha }));
  const what = def.metric === 'loss_near_sites' ? `within ${def.distance_m / 1000} km of the activity's sites` : `inside the linked ${def.area_kind} areas`;
  return { hash, values, inputs: { ...inputs, forest2000_ha: series.forest2000_ha }, source: `Atalaya: ${layers.loss.name} forest loss ${what}` };
}

/**
 * Recomputes the spatial indicators (of some activities, or all) whose inputs changed: geometry of
 * the zone, linked areas, raster stamps or the definition. Unchanged ones are left as they are.
 */
export async function recomputeSpatialIndicators(db: Kysely<Database>, rasters: RasterStores, pool: ZonalPool | undefined, filter: { activityIds?: number[]; ids?: number[]; force?: boolean } = {}) {
  const rows = await listIndicatorRows(db, { ...filter, kind: 'spatial' });
  const today = new Date().toISOString().slice(0, 10);
  let recomputed = 0;
  const failed: { id: number; error: string }[] = [];
  for (const row of rows) {
    try {
      const c = await computeSpatial(db, rasters, pool, row, today, filter.force ?? false);
      if (!c) continue;
      await replaceComputedValues(db, row.id, c.hash, c.values, c.inputs, c.source);
      recomputed++;
    } catch (e) {
      const message = (e as Error).message;
      failed.push({ id: row.id, error: message });
      await markIndicatorError(db, row.id, message);
    }
  }
  return { checked: rows.length, recomputed, failed };
}

const fractionalYear = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return d.getUTCFullYear() + (d.getTime() - start) / (366 * 86_400_000);
};

/** An indicator as the API shows it: baseline and target (computed where the definition says so), latest value, status. */
export function indicatorView(row: IndicatorRow, measurements: MeasurementRow[], history: MeasurementRow[] = measurements): Indicator {
  const parsed = row.kind === 'spatial' ? spatialDefinitionSchema.safeParse(row.definition) : undefined;
  const def = parsed?.success ? parsed.data : undefined;
  const yearly = isYearly(def);
  const current = measurements.filter((m) => m.superseded_at === null);
  const valueOfYear = new Map(current.map((m) => [Number(m.measured_at.slice(0, 4)), m.value]));
  let baseline: Indicator['baseline'] = row.baseline_value !== null && row.baseline_year !== null ? { value: row.baseline_value, year: row.baseline_year, computed: false } : null;
  if (!baseline && yearly && row.baseline_year !== null) {
    // A spatial baseline left empty is the mean of the series over the three years up to its year.
    const vals = [row.baseline_year - 2, row.baseline_year - 1, row.baseline_year].map((y) => valueOfYear.get(y)).filter((v): v is number => v !== undefined);
    if (vals.length) baseline = { value: round(vals.reduce((s, v) => s + v, 0) / vals.length), year: row.baseline_year, computed: true };
  }
  let target: Indicator['target'] = row.target_value !== null && row.target_year !== null ? { value: row.target_value, year: row.target_year, computed: false } : null;
  if (!target && def?.target_change_pct !== undefined && baseline && row.target_year !== null) {
    target = { value: round(baseline.value * (1 + def.target_change_pct / 100)), year: row.target_year, computed: true };
  }
  let latest: Indicator['latest'] = null;
  let at = 0;
  if (current.length) {
    const sorted = [...current].sort((a, b) => a.measured_at.localeCompare(b.measured_at));
    const last = sorted.at(-1)!;
    if (yearly) {
      const tail = sorted.slice(-SMOOTH_YEARS);
      latest = { value: round(tail.reduce((s, m) => s + m.value, 0) / tail.length), at: last.measured_at, smoothed_years: tail.length };
      at = Number(last.measured_at.slice(0, 4));
    } else {
      latest = { value: last.value, at: last.measured_at, smoothed_years: 1 };
      at = fractionalYear(last.measured_at);
    }
  }
  const status = progressStatus({ direction: row.direction as Direction, baseline, target, latest: latest ? { value: latest.value, at } : null });
  return {
    id: row.id,
    activity_id: row.activity_id,
    name: row.name,
    unit: row.unit,
    name_es: row.name_es,
    unit_es: row.unit_es,
    direction: row.direction as Direction,
    kind: row.kind as 'manual' | 'spatial',
    definition: row.definition,
    published: row.published,
    baseline,
    target,
    latest,
    status: status.status,
    expected: status.expected === null ? null : round(status.expected),
    achieved_share: status.achieved_share === null ? null : round(status.achieved_share),
    expected_share: status.expected_share === null ? null : round(status.expected_share),
    computed_at: row.computed_at ? row.computed_at.toISOString() : null,
    error: row.error,
    measurements: history.map((m) => ({
      id: m.id,
      measured_at: m.measured_at,
      value: m.value,
      source: m.source,
      note: m.note,
      origin: m.origin,
      inputs: m.inputs ?? null,
      created_at: new Date(m.created_at).toISOString(),
      superseded_at: m.superseded_at ? new Date(m.superseded_at).toISOString() : null,
    })),
  };
}

/** Indicators of activities, keyed by activity id, with current measurements. */
export async function indicatorsOf(db: Kysely<Database>, activityIds: number[], options: { publishedOnly?: boolean } = {}): Promise<Map<number, Indicator[]>> {
  const rows = (await listIndicatorRows(db, { activityIds })).filter((r) => !options.publishedOnly || r.published);
  const ms = await listMeasurementRows(db, rows.map((r) => r.id), false, options.publishedOnly);
  const byIndicator = new Map<number, MeasurementRow[]>();
  for (const m of ms) (byIndicator.get(m.indicator_id) ?? byIndicator.set(m.indicator_id, []).get(m.indicator_id)!).push(m);
  const out = new Map<number, Indicator[]>();
  for (const r of rows) (out.get(r.activity_id) ?? out.set(r.activity_id, []).get(r.activity_id)!).push(indicatorView(r, byIndicator.get(r.id) ?? []));
  return out;
}

export async function activityIndicators(db: Kysely<Database>, activityId: number, options: { publishedOnly?: boolean } = {}) {
  if (!(await activityExists(db, activityId))) throw new NotFoundError(`No activity with id ${activityId}. List them at /api/activities.`);
  return { activity_id: activityId, status_rule: STATUS_RULE, indicators: (await indicatorsOf(db, [activityId], options)).get(activityId) ?? [] };
}

/** One indicator with its whole history: superseded computed values and every manual measurement. */
export async function indicatorWithHistory(db: Kysely<Database>, id: number, options: { publishedOnly?: boolean } = {}): Promise<Indicator> {
  const [row] = await listIndicatorRows(db, { ids: [id] });
  if (!row) throw new NotFoundError(`No indicator ${id}.`);
  const all = await listMeasurementRows(db, [id], true, options.publishedOnly);
  return indicatorView(row, all.filter((m) => m.superseded_at === null), all);
}

export async function createIndicator(db: Kysely<Database>, rasters: RasterStores, pool: ZonalPool | undefined, activityId: number, input: IndicatorInput): Promise<Indicator> {
  if (!(await activityExists(db, activityId))) throw new NotFoundError(`No activity with id ${activityId}.`);
  const clash = await indicatorNamed(db, activityId, input.name);
  if (clash) throw new AppError('conflict', `Activity ${activityId} already has an indicator named "${input.name}" (id ${clash.id}).`);
  const id = await db.transaction().execute((trx) => insertIndicator(trx, activityId, input));
  if (input.kind === 'spatial') await recomputeSpatialIndicators(db, rasters, pool, { ids: [id] });
  return indicatorWithHistory(db, id);
}

export async function addMeasurement(db: Kysely<Database>, indicatorId: number, input: MeasurementInput): Promise<Indicator> {
  const [row] = await listIndicatorRows(db, { ids: [indicatorId] });
  if (!row) throw new NotFoundError(`No indicator ${indicatorId}.`);
  if (row.kind === 'spatial') throw new BadRequestError(`Indicator ${indicatorId} is spatial: its values are computed from the rasters, not entered.`);
  await db.transaction().execute((trx) => insertMeasurement(trx, indicatorId, input));
  return indicatorWithHistory(db, indicatorId);
}
