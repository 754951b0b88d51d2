// Which alert pixels a field check covers, and how many of a zone's alerts are confirmed, found
// false, or not yet checked. A check covers its own alert pixel and, when the inspector drew a
// refined outline, every alert pixel whose centre lies inside it (the same pixel-centre rule as the
// counts). Where checks overlap, the one reviewed last decides.
import { BLOCK, type BlockStore } from '../raster/block_store';
import { rowAreasHa } from '../analysis/zonal/pixel_area';
import { rasterizeSpans, type Spans } from '../analysis/zonal/scanline';
import { polygonsFromGeoJson } from '../analysis/zonal/wkb';
import { alertConfidence, alertDay } from './alert_encoding';
import type { AlertFilter } from './alert_zonal';

export type CheckResult = 'confirmed' | 'false_positive';

export interface AlertCheck {
  col: number;
  row: number;
  result: CheckResult;
  /** GeoJSON Polygon text, or null. */
  outline: string | null;
}

export const VERIFICATION_RULE =
  'an alert pixel is confirmed or a false positive by the latest accepted field report on it or whose refined outline holds its centre; the rest are unverified';

/** The value of one pixel at full resolution (0: no alert). */
export function alertValueAt(store: BlockStore, col: number, row: number): number {
  const m = store.meta;
  if (col < 0 || row < 0 || col >= m.width || row >= m.height) return 0;
  if (store.isEmpty(0, col >> 8, row >> 8)) return 0;
  return store.block16(0, col >> 8, row >> 8)[(row & (BLOCK - 1)) * BLOCK + (col & (BLOCK - 1))]!;
}

/** Pixel -> result, later checks over earlier ones (`checks` in review order). */
export function coveredPixels(checks: AlertCheck[], store: BlockStore): Map<number, CheckResult> {
  const width = store.meta.width;
  const out = new Map<number, CheckResult>();
  for (const c of checks) {
    if (c.outline) {
      const spans = rasterizeSpans(polygonsFromGeoJson(JSON.parse(c.outline) as { type: string; coordinates: unknown }), store.meta);
      for (let i = 0; i < spans.count; i++) {
        const r = spans.row[i]!;
        if (r < 0 || r >= store.meta.height) continue;
        for (let x = Math.max(0, spans.x0[i]!); x < Math.min(width, spans.x1[i]!); x++) if (alertValueAt(store, x, r)) out.set(r * width + x, c.result);
      }
    }
    out.set(c.row * width + c.col, c.result);
  }
  return out;
}

function spansByRow(spans: Spans): Map<number, [number, number][]> {
  const rows = new Map<number, [number, number][]>();
  for (let i = 0; i < spans.count; i++) {
    const r = spans.row[i]!;
    let list = rows.get(r);
    if (!list) rows.set(r, (list = []));
    list.push([spans.x0[i]!, spans.x1[i]!]);
  }
  return rows;
}

export interface VerificationCounts {
  confirmed: { px: number; ha: number };
  false_positive: { px: number; ha: number };
}

/** The covered alert pixels inside the zone that pass the filter, by result, with their geodesic hectares. */
export function verifiedInZone(covered: Map<number, CheckResult>, zone: Spans, store: BlockStore, filter: AlertFilter): VerificationCounts {
  const out: VerificationCounts = { confirmed: { px: 0, ha: 0 }, false_positive: { px: 0, ha: 0 } };
  const rows = spansByRow(zone);
  const width = store.meta.width;
  for (const [key, result] of covered) {
    const row = Math.floor(key / width), col = key % width;
    if (!rows.get(row)?.some(([a, b]) => col >= a && col < b)) continue;
    const v = alertValueAt(store, col, row);
    if (v === 0) continue;
    const day = alertDay(v);
    if (day < filter.fromDay || day > filter.toDay || !(filter.confidenceMask & (1 << alertConfidence(v)))) continue;
    out[result].px += 1;
    out[result].ha += rowAreasHa(store.meta, row, 1)[0]!;
  }
  return out;
}
