// The concession review table: per concession its loss metrics (inside and in a 5 km ring), its
// standing among concessions of the same type and region, the outlier flag with its reason, and the
// latest review note. Built from the stored statistics and kept in memory until any of its inputs
// change, so sorting, filtering and paging thousands of concessions is a matter of milliseconds.
import type { Kysely } from 'kysely';
import type { ConcessionReviewQuery } from '../api';
import type { Database } from '../db/schema';
import { concessionMetrics, type ConcessionMetrics, type YearLoss } from '../analysis/concessions/concession_metrics';
import { flagReason, peerFlags } from '../analysis/concessions/peer_flags';
import { NotFoundError } from '../errors';
import { CONCESSION_RING_M } from './analysis_context';
import { resolveLayers, statKey } from './loss_layers';
import { areaOutlines, findAreaHeader } from '../db/repositories/areas.repository';
import { areaStatistics, concessionAreas, type AreaStatisticRow, insertReviewNote, latestReviews, reviewInputsVersion, reviewNotes, type ReviewNoteInput } from '../db/repositories/concession_review.repository';
import { featureCollectionText, featureText } from './geojson_text';

export interface ReviewRow {
  id: number;
  name: string;
  type: string;
  region: string;
  status: string;
  holder: string;
  contract_start: string | null;
  area_ha: number;
  has_statistics: boolean;
  /** Share of the concession the loss layer covers (0..1), null before statistics exist. */
  covered_fraction: number | null;
  /** Why the figures are empty ("no data", never 0), left empty when there are figures. */
  no_data_en: string;
  no_data_es: string;
  forest2000_ha: number | null;
  total_loss_ha: number | null;
  loss_since_contract_ha: number | null;
  rate_before_pct: number | null;
  rate_during_pct: number | null;
  recent_mean_ha: number | null;
  previous_mean_ha: number | null;
  recent_trend: number | null;
  ring_forest2000_ha: number | null;
  ring_total_loss_ha: number | null;
  ring_loss_since_contract_ha: number | null;
  ring_rate_before_pct: number | null;
  ring_rate_during_pct: number | null;
  ring_recent_trend: number | null;
  rank: number | null;
  group_size: number;
  percentile: number | null;
  flagged: boolean;
  reason_en: string;
  reason_es: string;
  reviewed: boolean;
  supervision_status: string;
  review_note: string;
  reviewed_by: string;
  reviewed_at: string | null;
  years: YearLoss[];
  /** minLon, minLat, maxLon, maxLat: for "show on the map". */
  bbox: [number, number, number, number];
}

interface Loaded {
  key: string;
  rows: ReviewRow[];
  layer: { name: string; version: string | null; treecover: string | null; threshold: number | null };
}

/** The last tables built, one per loss layer and k (a user switching layers back and forth waits once). */
const cache = new Map<string, Loaded>();
const CACHED_TABLES = 4;

/** Why a concession has no loss figures, or undefined when it has them. */
function noDataReason(covered: number | null, forest2000Ha: number | null, layer: string): { en: string; es: string } | undefined {
  if (covered === null) return { en: 'Statistics not computed yet', es: 'Estadísticas aún no calculadas' };
  if (covered === 0) return { en: `Outside the loss layer ${layer}: no data`, es: `Fuera de la capa de pérdida ${layer}: sin datos` };
  if (!forest2000Ha || forest2000Ha <= 0) return { en: 'No tree cover in 2000 above the threshold: no loss rate', es: 'Sin cobertura arbórea en 2000 sobre el umbral: sin tasa de pérdida' };
  return undefined;
}

const yearOf = (d: unknown) => (typeof d === 'string' && /^\d{4}/.test(d) ? Number(d.slice(0, 4)) : null);

async function load(db: Kysely<Database>, k: number, layer: string | undefined): Promise<Loaded> {
  const layers = await resolveLayers(db, layer === undefined ? {} : { layer });
  const own = statKey(layers, 0);
  const slot = `${k}|${layers.loss.id}`;
  const key = `${k}|${layers.stamp}|${await reviewInputsVersion(db)}`;
  const hit = cache.get(slot);
  if (hit?.key === key) return hit;
  // Three plain queries joined here by id: one SQL join of them was at the mercy of the planner's
  // row estimates (15 s for 5,000 concessions right after a bulk insert, before autovacuum analysed).
  const [areas, stats, reviews] = await Promise.all([concessionAreas(db), areaStatistics(db, own, [0, CONCESSION_RING_M]), latestReviews(db)]);
  const ownStats = new Map<number, AreaStatisticRow>();
  const ringStats = new Map<number, AreaStatisticRow>();
  for (const st of stats) (st.buffer_m === 0 ? ownStats : ringStats).set(st.subject_id, st);
  const latest = new Map(reviews.map((r) => [r.area_id, r]));
  const rows = areas.map((a) => {
    const o = ownStats.get(a.id);
    const g = ringStats.get(a.id);
    const rv = latest.get(a.id);
    return {
      ...a,
      covered: o ? (o.area_ha > 0 ? Math.min(1, o.covered_area_ha / o.area_ha) : 0) : null,
      forest: o?.forest2000_ha ?? null, years: o?.years ?? null, ring_forest: g?.forest2000_ha ?? null, ring_years: g?.years ?? null,
      reviewed: rv?.reviewed ?? null, supervision_status: rv?.supervision_status ?? null, note: rv?.note ?? null, author: rv?.author ?? null, reviewed_at: rv?.created_at ?? null,
    };
  });
  const base = rows.map((r) => {
    const p = r.properties;
    const start = yearOf(p.contract_start);
    // No figures where the layer has none: outside its extent (nothing covered) or without forest in
    // 2000 to lose (a rate over no forest is not 0 %); such concessions stay out of the peer ranking.
    const noData = noDataReason(r.covered, r.forest, layers.loss.name);
    const metrics: ConcessionMetrics | undefined = r.years && r.forest !== null && !noData ? concessionMetrics(r.forest, r.years, start) : undefined;
    // The ring: the area grown by 5 km minus the area itself (pixel sets nest, so counts subtract).
    let ring: ConcessionMetrics | undefined;
    if (r.ring_years && r.years && r.ring_forest !== null && r.forest !== null) {
      const own = new Map(r.years.map((y) => [y.year, y.loss_ha]));
      ring = concessionMetrics(r.ring_forest - r.forest, r.ring_years.map((y) => ({ year: y.year, loss_ha: y.loss_ha - (own.get(y.year) ?? 0) })), start);
    }
    return { r, p, start, metrics, ring: noData ? undefined : ring, noData };
  });
  const flags = peerFlags(base.map((b) => ({ id: b.r.id, group: `${String(b.p.concession_type ?? '')}|${String(b.p.region ?? '')}`, rate: b.metrics && b.metrics.forest2000Ha > 0 ? b.metrics.rateDuringPct : null })), k);
  const out: ReviewRow[] = base.map(({ r, p, metrics, ring, noData }) => {
    const f = flags.get(r.id)!;
    const type = String(p.concession_type ?? '');
    const region = String(p.region ?? '');
    const reason = f.flagged && metrics?.rateDuringPct != null ? flagReason(metrics.rateDuringPct, f, type, region, k) : { en: '', es: '' };
    return {
      id: r.id, name: r.name, type, region, status: String(p.status ?? ''), holder: String(p.holder ?? ''),
      contract_start: typeof p.contract_start === 'string' ? p.contract_start : null,
      area_ha: Math.round(r.area_ha * 100) / 100,
      has_statistics: r.covered !== null,
      covered_fraction: r.covered === null ? null : Math.round(r.covered * 1e4) / 1e4,
      no_data_en: noData?.en ?? '',
      no_data_es: noData?.es ?? '',
      forest2000_ha: metrics?.forest2000Ha ?? null,
      total_loss_ha: metrics?.totalLossHa ?? null,
      loss_since_contract_ha: metrics?.lossSinceContractHa ?? null,
      rate_before_pct: metrics?.rateBeforePct ?? null,
      rate_during_pct: metrics?.rateDuringPct ?? null,
      recent_mean_ha: metrics?.recentMeanHa ?? null,
      previous_mean_ha: metrics?.previousMeanHa ?? null,
      recent_trend: metrics?.recentTrend ?? null,
      ring_forest2000_ha: ring?.forest2000Ha ?? null,
      ring_total_loss_ha: ring?.totalLossHa ?? null,
      ring_loss_since_contract_ha: ring?.lossSinceContractHa ?? null,
      ring_rate_before_pct: ring?.rateBeforePct ?? null,
      ring_rate_during_pct: ring?.rateDuringPct ?? null,
      ring_recent_trend: ring?.recentTrend ?? null,
      rank: f.rank, group_size: f.groupSize, percentile: f.percentile, flagged: f.flagged,
      reason_en: reason.en, reason_es: reason.es,
      reviewed: r.reviewed ?? false, supervision_status: r.supervision_status ?? 'none', review_note: r.note ?? '',
      reviewed_by: r.author ?? '', reviewed_at: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
      years: r.years ?? [],
      bbox: r.bbox,
    };
  });
  const loaded: Loaded = {
    key,
    rows: out,
    layer: { name: layers.loss.name, version: layers.loss.version, treecover: layers.treecover?.name ?? null, threshold: layers.treecover ? layers.threshold : null },
  };
  cache.delete(slot);
  cache.set(slot, loaded);
  if (cache.size > CACHED_TABLES) cache.delete(cache.keys().next().value!);
  return loaded;
}

export async function concessionReview(db: Kysely<Database>, q: ConcessionReviewQuery) {
  const { rows, layer } = await load(db, q.k, q.layer);
  const needle = q.q?.toLowerCase();
  const filtered = rows.filter(
    (r) =>
      (!q.type || r.type === q.type) &&
      (!q.region || r.region === q.region) &&
      (!q.status || r.status === q.status) &&
      (q.flagged === undefined || r.flagged === (q.flagged === 'true')) &&
      (!needle || r.name.toLowerCase().includes(needle) || r.holder.toLowerCase().includes(needle)),
  );
  const dir = q.order === 'asc' ? 1 : -1;
  const sortKey = q.sort;
  // Missing values last whatever the order; ties by name, so pages are stable.
  const sorted = [...filtered].sort((a, b) => {
    const x = a[sortKey];
    const y = b[sortKey];
    if (x === null && y !== null) return 1;
    if (y === null && x !== null) return -1;
    if (x !== y) return (typeof x === 'string' ? String(x).localeCompare(String(y)) : Number(x) - Number(y)) * dir;
    return a.name.localeCompare(b.name);
  });
  const facets = { types: [...new Set(rows.map((r) => r.type))].sort(), regions: [...new Set(rows.map((r) => r.region))].sort(), statuses: [...new Set(rows.map((r) => r.status))].sort() };
  return { total: sorted.length, k: q.k, ring_m: CONCESSION_RING_M, layer, facets, rows: sorted, page: sorted.slice(q.offset, q.offset + q.limit) };
}

export async function addReviewNote(db: Kysely<Database>, areaId: number, note: ReviewNoteInput) {
  const area = await findAreaHeader(db, areaId);
  if (!area || area.kind !== 'forest_concession') throw new NotFoundError(`No forest concession ${areaId}.`);
  return db.transaction().execute((trx) => insertReviewNote(trx, areaId, note));
}

export async function reviewHistory(db: Kysely<Database>, areaId: number) {
  return reviewNotes(db, areaId);
}

/** The review's rows (every page, in its order) with their outlines, as a GeoJSON FeatureCollection's text. */
export async function concessionReviewGeoJson(db: Kysely<Database>, rows: ReviewRow[], properties: (r: ReviewRow) => Record<string, unknown>): Promise<string> {
  const outlines = await areaOutlines(db, rows.map((r) => r.id));
  return featureCollectionText(rows.map((r) => featureText(r.id, outlines.get(r.id) ?? null, JSON.stringify(properties(r)))));
}

/** One concession's row of the review table (k = 3), with the layer its figures come from. */
export async function concessionReviewRow(db: Kysely<Database>, id: number, layer?: string): Promise<ReviewRow & { layer: Loaded['layer'] }> {
  const loaded = await load(db, 3, layer);
  const row = loaded.rows.find((r) => r.id === id);
  if (!row) throw new NotFoundError(`No forest concession ${id}.`);
  return { ...row, layer: loaded.layer };
}
