// Trend near an intervention: yearly loss in the buffer around a site (or an activity's sites)
// against a comparison ring further out, before and after the activity's start, summarised as a
// difference in differences. Zones are built in PostGIS (geodesic buffers), counted in this thread.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Trend, TrendQuery } from '../api';
import { BadRequestError, NotFoundError } from '../errors';
import { differenceInDifferences, DID_METHOD, MIN_YEARS_PER_SIDE } from '../analysis/progress/difference_in_differences';
import { trendSummary, type TrendWarning } from '../analysis/progress/trend_summary';
import { round, spansMethodChange } from '../analysis/zonal/loss_series';
import type { ZonalPool } from '../analysis/zonal/zonal_pool';
import type { RasterStores } from './rasters.service';
import { seriesOfPolygon, yearCodes } from './loss_statistics.service';
import { trendZones } from '../db/repositories/zones';
import { provenance, resolveLayers, type LayerChoice } from './loss_layers';

export interface TrendOptions extends LayerChoice {
  distanceM: number;
  /** Include the buffer and ring geometries in the answer. */
  zones?: boolean;
  from?: number | undefined;
  to?: number | undefined;
}

export async function trendFor(db: Kysely<Database>, rasters: RasterStores, subject: 'site' | 'activity', id: number, options: TrendOptions, pool?: ZonalPool): Promise<Trend> {
  const layers = await resolveLayers(db, options);
  const zones = await trendZones(db, subject, id, options.distanceM);
  if (!zones) throw new NotFoundError(`No ${subject} ${id}.`);
  if (!zones.buffer || !zones.ring) throw new BadRequestError(subject === 'activity' ? `Activity ${id} has no sites, so there is nothing to compare around.` : `Site ${id} has no geometry.`);
  const inner = await seriesOfPolygon(rasters, pool, layers, JSON.parse(zones.buffer));
  const ring = await seriesOfPolygon(rasters, pool, layers, JSON.parse(zones.ring));
  const codes = yearCodes(layers);
  const last = 2000 + codes.last;
  const from = Math.max(options.from ?? 2000 + codes.first, 2000 + codes.first);
  const to = Math.min(options.to ?? last, last);
  const startYear = zones.startDate ? Number(zones.startDate.slice(0, 4)) : null;
  const rate = (ha: number, forest: number) => (forest > 0 ? (100 * ha) / forest : null);
  const years = inner.years
    .map((y, i) => ({ y, r: ring.years[i]! }))
    .filter(({ y }) => y.year >= from && y.year <= to)
    .map(({ y, r }) => ({
      year: y.year,
      side: (startYear === null || y.year < startYear ? 'before' : y.year === startYear ? 'start' : 'after') as 'before' | 'start' | 'after',
      buffer_loss_ha: y.loss_ha,
      buffer_rate_pct: rate(y.loss_ha, inner.forest2000_ha),
      ring_loss_ha: r.loss_ha,
      ring_rate_pct: rate(r.loss_ha, ring.forest2000_ha),
    }));
  const warnings: TrendWarning[] = [];
  const noForest = inner.forest2000_ha <= 0 || ring.forest2000_ha <= 0;
  const covered = inner.covered_fraction > 0 && ring.covered_fraction > 0;
  if (!covered) warnings.push('not_covered');
  if (startYear === null) warnings.push('no_start');
  if (noForest && covered) warnings.push('no_forest');
  const pairs = noForest ? [] : years.map((y) => ({ year: y.year, buffer: y.buffer_rate_pct!, ring: y.ring_rate_pct! }));
  const did = differenceInDifferences(pairs, startYear ?? 0);
  if (startYear !== null && !noForest && (did.years_before < MIN_YEARS_PER_SIDE || did.years_after < MIN_YEARS_PER_SIDE)) warnings.push('few_years');
  const used = years.filter((y) => y.side !== 'start');
  if (covered && !noForest && spansMethodChange(used)) warnings.push('method_change');
  const r4 = (v: number | null) => (v === null ? null : round(v, 4));
  const result = { years_before: did.years_before, years_after: did.years_after, buffer_before: r4(did.buffer_before), buffer_after: r4(did.buffer_after), ring_before: r4(did.ring_before), ring_after: r4(did.ring_after), did: r4(did.did), ci_low: r4(did.ci_low), ci_high: r4(did.ci_high) };
  return {
    subject,
    id,
    distance_m: options.distanceM,
    start_date: zones.startDate,
    start_year: startYear,
    window: { from, to },
    buffer: { area_ha: inner.area_ha, forest2000_ha: inner.forest2000_ha, covered_fraction: inner.covered_fraction },
    ring: { area_ha: ring.area_ha, forest2000_ha: ring.forest2000_ha, covered_fraction: ring.covered_fraction },
    years: years.map((y) => ({ ...y, buffer_rate_pct: r4(y.buffer_rate_pct), ring_rate_pct: r4(y.ring_rate_pct) })),
    result,
    unit: '% of 2000 forest per year',
    warnings,
    summary: trendSummary(did, options.distanceM / 1000, warnings),
    method: DID_METHOD,
    provenance: provenance(layers, { bufferM: options.distanceM, spansMethodChange: warnings.includes('method_change') }),
    ...(options.zones ? { zones: { buffer: JSON.parse(zones.buffer) as unknown, ring: JSON.parse(zones.ring) as unknown } } : {}),
  };
}

export function trendOptions(q: Pick<TrendQuery, 'distance_m' | 'from' | 'to' | 'layer' | 'treecover' | 'threshold' | 'zones'>, defaultDistanceM: number): TrendOptions {
  return { distanceM: q.distance_m ?? defaultDistanceM, from: q.from, to: q.to, layer: q.layer, treecover: q.treecover === 'none' ? null : q.treecover, threshold: q.threshold, zones: q.zones === 'true' };
}
