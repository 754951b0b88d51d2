// The programme progress report: per priority area (and counted per goal), the published activities
// with their status, indicators against targets and the trend near their sites. One builder feeds
// the JSON, the CSV and the printable page, so the three always agree.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Indicator, ReportQuery, Trend } from '../api';
import { listActivities, type ActivityRow } from '../db/repositories/activities.repository';
import { worstStatus, type ProgressStatus } from '../analysis/progress/progress_status';
import { DID_METHOD } from '../analysis/progress/difference_in_differences';
import type { ZonalPool } from '../analysis/zonal/zonal_pool';
import type { RasterStores } from './rasters.service';
import { getProgramme } from './programme.service';
import { indicatorsOf, STATUS_RULE } from './indicators.service';
import { trendFor } from './trends.service';
import { alertsForSubject } from './alerts.service';
import { lastReviewStamp } from '../db/repositories/field_reports.repository';
import { dateOfDay, today } from '../alerts/alert_encoding';
import { resolveLayers } from './loss_layers';
import { rasterLayersOfKind } from '../db/repositories/raster_layers.repository';
import { tileLayerVersion } from '../db/repositories/tile_layers.repository';
import { publishedLeadAgencies } from '../db/repositories/activities.repository';

export interface ReportActivity {
  id: number;
  code: string;
  title: string;
  title_es: string | null;
  priority_area: string;
  goals: string[];
  action_areas: string[];
  lead_agency: string;
  status: string;
  funding_status: string;
  start_date: string | null;
  end_date: string | null;
  site_count: number;
  progress: ProgressStatus;
  indicators: Omit<Indicator, 'measurements'>[];
  trend: Pick<Trend, 'distance_m' | 'start_year' | 'result' | 'warnings' | 'summary' | 'window' | 'years'> | null;
  trend_error: string | null;
  /** Alerts of the last 90 days within the site buffers (newest alert layer); null without a layer that reaches them. */
  alerts: { layer: string; synthetic: boolean; from: string; to: string; px: number; ha: number; low: number; high: number; highest: number; confirmed_ha: number; false_positive_ha: number; unverified_ha: number } | null;
}

type Counts = Record<ProgressStatus, number> & { activities: number };

export interface ProgressReport {
  title: { en: string; es: string };
  generated_at: string;
  filters: Omit<ReportQuery, 'format' | 'lang'>;
  status_rule: string;
  did_method: string;
  distance_m: number;
  layer: { name: string; version: string | null; treecover: string | null; threshold: number | null } | null;
  totals: Counts;
  goals: { code: string; title: { en: string; es: string }; counts: Counts }[];
  priority_areas: { code: string; title: { en: string; es: string }; counts: Counts; activities: ReportActivity[] }[];
}

const emptyCounts = (): Counts => ({ on_track: 0, at_risk: 0, off_track: 0, no_data: 0, activities: 0 });
const count = (c: Counts, s: ProgressStatus) => {
  c[s]++;
  c.activities++;
};

/**
 * Trends are the costly part (two zonal counts per activity); they are kept while the raster stamp
 * and the sites' data version stay the same (bumped by triggers on every change of sites and
 * activities, start dates included: migration 0008).
 */
const trendCache = new Map<string, ReportActivity['trend']>();

const sitesVersion = (db: Kysely<Database>) => tileLayerVersion(db, 'sites');

export async function buildReport(db: Kysely<Database>, rasters: RasterStores, pool: ZonalPool | undefined, query: ReportQuery, distanceM: number): Promise<ProgressReport> {
  const programme = await getProgramme(db);
  const { rows } = await listActivities(db, {
    limit: 100_000,
    offset: 0,
    ...(query.goal ? { goal: query.goal } : {}),
    ...(query.priority_area ? { priorityArea: query.priority_area } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.agency ? { leadAgency: query.agency } : {}),
    ...(query.q ? { q: query.q } : {}),
  });
  // The report is public: drafts stay out, and so do unpublished indicators.
  const published = rows.filter((r) => r.published);
  const indicators = await indicatorsOf(db, published.map((r) => r.id), { publishedOnly: true });
  let layers: Awaited<ReturnType<typeof resolveLayers>> | undefined;
  if (query.layer !== undefined) layers = await resolveLayers(db, { layer: query.layer }); // a layer asked for and missing is an error
  else {
    try {
      layers = await resolveLayers(db, {});
    } catch {
      layers = undefined; // no loss layer: the report still lists indicators, without trends
    }
  }
  const version = layers ? `${layers.stamp}|${await sitesVersion(db)}|${distanceM}` : '';
  // Reviews of field reports change what is verified: read once for the whole report.
  const reviews = await lastReviewStamp(db);
  const activities: ReportActivity[] = [];
  for (const a of published) {
    const inds = (indicators.get(a.id) ?? []).map(({ measurements: _m, ...rest }) => rest);
    // Indicators without a target describe rather than measure progress: they do not set the activity's status.
    const progress = worstStatus(inds.filter((i) => i.target !== null).map((i) => i.status));
    if (query.progress && progress !== query.progress) continue;
    let trend: ReportActivity['trend'] = null;
    let trendError: string | null = null;
    if (layers && a.site_count > 0) {
      const key = `${a.id}|${version}`;
      if (trendCache.has(key)) trend = trendCache.get(key)!;
      else {
        try {
          const t = await trendFor(db, rasters, 'activity', a.id, { distanceM, layer: layers.loss.id }, pool);
          trend = { distance_m: t.distance_m, start_year: t.start_year, result: t.result, warnings: t.warnings, summary: t.summary, window: t.window, years: t.years };
          trendCache.set(key, trend);
        } catch (e) {
          trendError = (e as Error).message;
        }
      }
    }
    activities.push({ ...toReportActivity(a, inds, progress, trend, trendError), alerts: a.site_count > 0 ? await recentAlerts(db, rasters, a.id, distanceM, `${version}|${reviews}`) : null });
  }
  if (trendCache.size > 5000) trendCache.clear();
  const totals = emptyCounts();
  const goals = programme.goals.map((g) => ({ code: g.code, title: g.title, counts: emptyCounts() }));
  const areas = programme.priorityAreas.map((p) => ({ code: p.code, title: p.title, counts: emptyCounts(), activities: [] as ReportActivity[] }));
  for (const a of activities) {
    count(totals, a.progress);
    for (const g of a.goals) {
      const goal = goals.find((x) => x.code === g);
      if (goal) count(goal.counts, a.progress);
    }
    const area = areas.find((x) => x.code === a.priority_area);
    if (area) {
      count(area.counts, a.progress);
      area.activities.push(a);
    }
  }
  const { format: _f, lang: _l, ...filters } = query;
  return {
    title: { en: 'Programme progress report', es: 'Informe de avance del programa' },
    generated_at: new Date().toISOString(),
    filters,
    status_rule: STATUS_RULE,
    did_method: DID_METHOD,
    distance_m: distanceM,
    layer: layers ? { name: layers.loss.name, version: layers.loss.version, treecover: layers.treecover?.name ?? null, threshold: layers.treecover ? layers.threshold : null } : null,
    totals,
    goals: query.goal ? goals.filter((g) => g.code === query.goal) : goals,
    priority_areas: areas.filter((a) => a.activities.length > 0 || (!query.priority_area && !query.goal && !query.q && !query.agency && !query.status && !query.progress)),
  };
}

const alertCache = new Map<string, ReportActivity['alerts']>();

/** The last 90 days of alerts near an activity's sites, or null where no alert layer reaches them. */
async function recentAlerts(db: Kysely<Database>, rasters: RasterStores, id: number, bufferM: number, version: string): Promise<ReportActivity['alerts']> {
  const layer = (await rasterLayersOfKind(db, 'alert')).at(-1);
  if (!layer) return null;
  const to = dateOfDay(today());
  const from = dateOfDay(today() - 89);
  const key = `${id}|${layer.name}|${String(layer.properties.ingestedAt ?? '')}|${version}|${from}`;
  if (!alertCache.has(key)) {
    if (alertCache.size > 5000) alertCache.clear();
    try {
      const a = await alertsForSubject(db, rasters, 'activity', id, { layer: layer.name, from, to, period: 'month', bufferM });
      alertCache.set(key, a.covered_fraction === 0 ? null : { layer: layer.name, synthetic: a.provenance.layer.synthetic, from, to, px: a.total_px, ha: a.total_ha, low: a.by_confidence.low.px, high: a.by_confidence.high.px, highest: a.by_confidence.highest.px, confirmed_ha: a.verification?.confirmed.ha ?? 0, false_positive_ha: a.verification?.false_positive.ha ?? 0, unverified_ha: a.verification?.unverified.ha ?? a.total_ha });
    } catch {
      alertCache.set(key, null);
    }
  }
  return alertCache.get(key) ?? null;
}

function toReportActivity(a: ActivityRow, indicators: ReportActivity['indicators'], progress: ProgressStatus, trend: ReportActivity['trend'], trendError: string | null): Omit<ReportActivity, 'alerts'> {
  return {
    id: a.id,
    code: a.code,
    title: a.title,
    title_es: a.title_es,
    priority_area: a.priority_area_code,
    goals: a.goals,
    action_areas: a.action_areas,
    lead_agency: a.lead_agency,
    status: a.status,
    funding_status: a.funding_status,
    start_date: a.start_date,
    end_date: a.end_date,
    site_count: a.site_count,
    progress,
    indicators,
    trend,
    trend_error: trendError,
  };
}

/** One CSV row per activity and indicator (an activity without indicators still gets its row). */
export function reportRows(r: ProgressReport, lang: 'en' | 'es'): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const area of r.priority_areas) {
    for (const a of area.activities) {
      const base = {
        priority_area: a.priority_area,
        priority_area_title: area.title[lang],
        activity_code: a.code,
        activity_title: a.title,
        goals: a.goals.join(' '),
        lead_agency: a.lead_agency,
        activity_status: a.status,
        activity_progress: a.progress,
        start_date: a.start_date ?? '',
        trend_distance_m: a.trend?.distance_m ?? '',
        trend_buffer_before_pct: a.trend?.result.buffer_before ?? '',
        trend_buffer_after_pct: a.trend?.result.buffer_after ?? '',
        trend_ring_before_pct: a.trend?.result.ring_before ?? '',
        trend_ring_after_pct: a.trend?.result.ring_after ?? '',
        trend_did_pct_points: a.trend?.result.did ?? '',
        trend_ci_low: a.trend?.result.ci_low ?? '',
        trend_ci_high: a.trend?.result.ci_high ?? '',
        trend_warnings: a.trend?.warnings.join(' ') ?? '',
        alerts_layer: a.alerts?.layer ?? '',
        alerts_from: a.alerts?.from ?? '',
        alerts_to: a.alerts?.to ?? '',
        alerts_px: a.alerts?.px ?? '',
        alerts_ha: a.alerts?.ha ?? '',
        alerts_confirmed_ha: a.alerts?.confirmed_ha ?? '',
        alerts_false_positive_ha: a.alerts?.false_positive_ha ?? '',
        alerts_unverified_ha: a.alerts?.unverified_ha ?? '',
      };
      const inds = a.indicators.length ? a.indicators : [null];
      for (const i of inds) {
        out.push({
          ...base,
          indicator: i?.name ?? '',
          indicator_kind: i?.kind ?? '',
          unit: i?.unit ?? '',
          direction: i?.direction ?? '',
          baseline: i?.baseline?.value ?? '',
          baseline_year: i?.baseline?.year ?? '',
          target: i?.target?.value ?? '',
          target_year: i?.target?.year ?? '',
          latest: i?.latest?.value ?? '',
          latest_at: i?.latest?.at ?? '',
          expected: i?.expected ?? '',
          indicator_status: i?.status ?? '',
        });
      }
    }
  }
  return out;
}

/** What the page's filter form offers: every goal, priority area and lead agency of a published activity. */
export async function reportFilterOptions(db: Kysely<Database>) {
  const [programme, agencies, lossLayers] = await Promise.all([
    getProgramme(db),
    publishedLeadAgencies(db),
    rasterLayersOfKind(db, 'lossyear'),
  ]);
  const ingested = lossLayers.filter((l) => typeof l.properties.store === 'string').map((l) => ({ name: l.name, version: l.version }));
  return { goals: programme.goals, priorityAreas: programme.priorityAreas, agencies, lossLayers: ingested };
}
