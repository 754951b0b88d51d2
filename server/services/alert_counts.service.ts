// Alert counts of many areas at once, for tables (the concession review): per area the alerts of the
// last 90 days and of its contract period in the newest alert layer, or null where that layer does
// not reach the area (no data is never a 0). Kept per layer ingest, area and window, so paging a
// table does not count twice. Field checks (accepted reports) split the last 90 days' hectares into
// confirmed, false and unverified.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { rasterLayersOfKind } from '../db/repositories/raster_layers.repository';
import { subjectGeometryWkbs } from '../db/repositories/loss_statistics.repository';
import { alertTotals } from '../alerts/alert_series';
import { alertsOfSpans, AlertWorkLimitError } from '../alerts/alert_zonal';
import { dayOf, today } from '../alerts/alert_encoding';
import { rasterizeSpans } from '../analysis/zonal/scanline';
import { polygonsFromWkb } from '../analysis/zonal/wkb';
import type { RasterStores } from './rasters.service';
import type { BlockStore } from '../raster/block_store';
import { fieldReportsInAreas } from '../db/repositories/field_reports.repository';
import { verifiedInZone, type VerificationCounts } from '../alerts/alert_verification';
import { coveredAlertPixels } from './alert_verification.service';

export interface AreaAlertCounts {
  layer: string;
  last90_px: number | null;
  last90_ha: number | null;
  contract_px: number | null;
  contract_ha: number | null;
  /** Of the last 90 days' alerts: hectares confirmed and found false by accepted field reports, and the rest. */
  last90_confirmed_ha: number | null;
  last90_false_ha: number | null;
  last90_unverified_ha: number | null;
  /** Field reports on alerts inside the area: accepted and waiting for review. */
  reports_accepted: number;
  reports_pending: number;
}

const cache = new Map<string, { px: number; ha: number } | null>();

/** Counts for each area id, with its contract start (ISO date) when it has one. */
export async function alertCountsOfAreas(db: Kysely<Database>, rasters: RasterStores, areas: { id: number; contract_start: string | null }[]): Promise<Map<number, AreaAlertCounts> | undefined> {
  const layer = (await rasterLayersOfKind(db, 'alert')).at(-1);
  if (!layer || areas.length === 0) return undefined;
  const store = await rasters.get(layer.name);
  const stamp = `${layer.name}|${String(layer.properties.ingestedAt ?? '')}`;
  const now = today();
  const windows = (a: { contract_start: string | null }) => ({ last90: [now - 89, now] as const, contract: a.contract_start ? ([Math.max(1, dayOf(a.contract_start)), now] as const) : null });
  const keyOf = (id: number, range: readonly [number, number]) => `${stamp}|${id}|${range[0]}|${range[1]}`;
  const missing = areas.filter((a) => {
    const w = windows(a);
    return !cache.has(keyOf(a.id, w.last90)) || (w.contract !== null && !cache.has(keyOf(a.id, w.contract)));
  });
  const wkbs = missing.length ? await subjectGeometryWkbs(db, 'area', missing.map((a) => a.id), 0) : new Map<number, Uint8Array>();
  const byArea = new Map((await fieldReportsInAreas(db, areas.map((a) => a.id))).map((r) => [r.area_id, r]));
  const verified = await verifiedOfAreas(db, layer.name, store, [...byArea.values()].filter((r) => r.accepted > 0).map((r) => r.area_id), [now - 89, now]);
  const out = new Map<number, AreaAlertCounts>();
  for (const a of areas) {
    const w = windows(a);
    const counts = (range: readonly [number, number] | null) => {
      if (!range) return null;
      const key = keyOf(a.id, range);
      if (!cache.has(key)) {
        const wkb = wkbs.get(a.id);
        if (!wkb) return null;
        let z;
        try {
          z = alertsOfSpans(rasterizeSpans(polygonsFromWkb(wkb), store.meta), store, { fromDay: range[0], toDay: range[1], confidenceMask: 0b1110 });
        } catch (e) {
          if (!(e instanceof AlertWorkLimitError)) throw e;
          return null; // too large to count in a table's request: no figure rather than a wrong one
        }
        const totals = alertTotals(z, 'day');
        if (cache.size > 200_000) cache.clear();
        cache.set(key, z.coveredPixels === 0 ? null : { px: totals.total_px, ha: Math.round(totals.total_ha * 100) / 100 });
      }
      return cache.get(key) ?? null;
    };
    const last90 = counts(w.last90);
    const contract = counts(w.contract);
    const reports = byArea.get(a.id);
    const v = verified.get(a.id);
    const checked = (ha: number | undefined) => (last90 === null ? null : Math.round((ha ?? 0) * 100) / 100);
    out.set(a.id, {
      layer: layer.name,
      last90_px: last90?.px ?? null,
      last90_ha: last90?.ha ?? null,
      contract_px: contract?.px ?? null,
      contract_ha: contract?.ha ?? null,
      last90_confirmed_ha: checked(v?.confirmed.ha),
      last90_false_ha: checked(v?.false_positive.ha),
      last90_unverified_ha: last90 === null ? null : Math.max(0, Math.round((last90.ha - (v?.confirmed.ha ?? 0) - (v?.false_positive.ha ?? 0)) * 100) / 100),
      reports_accepted: reports?.accepted ?? 0,
      reports_pending: reports?.pending ?? 0,
    });
  }
  return out;
}

/** Field checks of the last 90 days' alerts, for the areas with accepted reports on alerts inside them. */
async function verifiedOfAreas(db: Kysely<Database>, layer: string, store: BlockStore, areaIds: number[], range: readonly [number, number]): Promise<Map<number, VerificationCounts>> {
  const out = new Map<number, VerificationCounts>();
  if (areaIds.length === 0) return out;
  const covered = await coveredAlertPixels(db, layer, store);
  if (covered.reports === 0) return out;
  const wkbs = await subjectGeometryWkbs(db, 'area', areaIds, 0);
  for (const [id, wkb] of wkbs) out.set(id, verifiedInZone(covered.pixels, rasterizeSpans(polygonsFromWkb(wkb), store.meta), store, { fromDay: range[0], toDay: range[1], confidenceMask: 0b1110 }));
  return out;
}
