// Exact alert counts of a polygon: the pixels whose centre falls inside (GDAL's rasterize rule, the
// same spans as the loss statistics), each alert counted on its day and confidence with its pixel's
// geodesic area. Blocks without alerts are skipped from the store's index without being decoded,
// which is what makes a sparse alert layer cheap over large areas.
import { BLOCK, type BlockStore } from '../raster/block_store';
import { rowAreasHa } from '../analysis/zonal/pixel_area';
import { rasterizeSpans, type Spans } from '../analysis/zonal/scanline';
import { polygonsFromGeoJson } from '../analysis/zonal/wkb';
import { alertConfidence, alertDay } from './alert_encoding';

export interface AlertFilter {
  fromDay: number;
  toDay: number;
  /** Bit c set: confidence c (1 low, 2 high, 3 highest) is counted. */
  confidenceMask: number;
}

export interface DayCounts {
  /** Pixels per confidence, index 1..3 (0 unused). */
  px: [number, number, number, number];
  ha: [number, number, number, number];
}

export interface AlertZonal {
  /** Pixels of the polygon (centre inside), inside the layer or not. */
  pixels: number;
  coveredPixels: number;
  areaHa: number;
  coveredHa: number;
  days: Map<number, DayCounts>;
}

/** More alert blocks than one request may decode (about 1.3 GB of pixels; a split area is answered). */
export const MAX_ALERT_BLOCKS = 10_000;

export class AlertWorkLimitError extends Error {}

/** Refuses, before any pixel is read, spans that would decode more than `maxBlocks` blocks holding alerts. */
function checkBlockBudget(spans: Spans, store: BlockStore, maxBlocks: number): void {
  if (maxBlocks === Infinity) return;
  touchedBlocks(spans, store, maxBlocks);
}

/** The level-0 blocks holding alerts that the spans cover (by * cols + bx); AlertWorkLimitError past `maxBlocks`. */
function touchedBlocks(spans: Spans, store: BlockStore, maxBlocks: number): Set<number> {
  const meta = store.meta;
  const cols = meta.levels[0]!.cols;
  const touched = new Set<number>();
  for (let i = 0; i < spans.count; i++) {
    const r = spans.row[i]!;
    if (r < 0 || r >= meta.height) continue;
    const a = Math.max(0, spans.x0[i]!), b = Math.min(meta.width, spans.x1[i]!);
    for (let bx = a >> 8; a < b && bx <= (b - 1) >> 8; bx++) if (!store.isEmpty(0, bx, r >> 8)) touched.add((r >> 8) * cols + bx);
    if (touched.size > maxBlocks) throw new AlertWorkLimitError(`This area touches more than ${maxBlocks} blocks of alerts (256 x 256 pixels each); split it into smaller areas.`);
  }
  return touched;
}

/**
 * Fetches the blocks the spans will read from the object store, asynchronously, before the
 * (synchronous) counting; nothing to do for a store in the folder. Past `maxBlocks` it fetches none
 * (the count then refuses the area, or, without a bound, reads row by row).
 */
export async function prefetchSpans(store: BlockStore, spans: Spans, maxBlocks = MAX_ALERT_BLOCKS): Promise<void> {
  if (!store.isRemote) return;
  let touched: Set<number>;
  try {
    touched = touchedBlocks(spans, store, Math.min(maxBlocks, MAX_PREFETCH_BLOCKS));
  } catch (e) {
    if (e instanceof AlertWorkLimitError) return;
    throw e;
  }
  await store.prefetchBlocks(0, touched);
}

/** Blocks a prefetch brings at most (about 200 MB of a dense alert layer; the cache may hold fewer). */
const MAX_PREFETCH_BLOCKS = 4096;

export function alertsOfGeometry(geometry: { type: string; coordinates: unknown }, store: BlockStore, filter: AlertFilter): AlertZonal {
  return alertsOfSpans(rasterizeSpans(polygonsFromGeoJson(geometry), store.meta), store, filter);
}

/** `maxBlocks`: the decoding bound of a request; the statistics job passes Infinity (it runs apart from requests). */
export function alertsOfSpans(spans: Spans, store: BlockStore, filter: AlertFilter, maxBlocks = MAX_ALERT_BLOCKS): AlertZonal {
  const meta = store.meta;
  const out: AlertZonal = { pixels: 0, coveredPixels: 0, areaHa: 0, coveredHa: 0, days: new Map() };
  const areas = new Map<number, Float64Array>();
  const areaOf = (row: number) => {
    const br = Math.floor(row / BLOCK);
    let a = areas.get(br);
    if (!a) {
      a = rowAreasHa(meta, br * BLOCK, BLOCK);
      areas.set(br, a);
    }
    return a[row - br * BLOCK]!;
  };
  checkBlockBudget(spans, store, maxBlocks);
  for (let i = 0; i < spans.count; i++) {
    const r = spans.row[i]!;
    const n = spans.x1[i]! - spans.x0[i]!;
    if (n <= 0) continue;
    const ha = areaOf(r);
    out.pixels += n;
    out.areaHa += n * ha;
    if (r < 0 || r >= meta.height) continue;
    const a = Math.max(0, spans.x0[i]!), b = Math.min(meta.width, spans.x1[i]!);
    if (b <= a) continue;
    out.coveredPixels += b - a;
    out.coveredHa += (b - a) * ha;
    const by = r >> 8;
    const inRow = (r & (BLOCK - 1)) * BLOCK;
    for (let bx = a >> 8; bx <= (b - 1) >> 8; bx++) {
      if (store.isEmpty(0, bx, by)) continue;
      const block = store.block16(0, bx, by);
      const c0 = Math.max(a, bx * BLOCK) - bx * BLOCK;
      const c1 = Math.min(b, (bx + 1) * BLOCK) - bx * BLOCK;
      for (let c = c0; c < c1; c++) {
        const v = block[inRow + c]!;
        if (v === 0) continue;
        const day = alertDay(v);
        const conf = alertConfidence(v);
        if (day < filter.fromDay || day > filter.toDay || !(filter.confidenceMask & (1 << conf))) continue;
        let d = out.days.get(day);
        if (!d) {
          d = { px: [0, 0, 0, 0], ha: [0, 0, 0, 0] };
          out.days.set(day, d);
        }
        d.px[conf] = d.px[conf]! + 1;
        d.ha[conf] = d.ha[conf]! + ha;
      }
    }
  }
  return out;
}

/** One alert pixel: its centre, day, confidence and geodesic area. */
export interface AlertPixel {
  /** Column and row at full resolution: with the day, the alert's identity in its layer. */
  col: number;
  row: number;
  lon: number;
  lat: number;
  day: number;
  confidence: number;
  ha: number;
}

/** The alert pixels inside (pixel-centre rule) that pass the filter, at most `max` (more: AlertWorkLimitError). */
export function alertPixelsOfSpans(spans: Spans, store: BlockStore, filter: AlertFilter, max: number, maxBlocks = MAX_ALERT_BLOCKS): AlertPixel[] {
  checkBlockBudget(spans, store, maxBlocks);
  const meta = store.meta;
  const dy = meta.pixelSizeY ?? meta.pixelSize;
  const out: AlertPixel[] = [];
  const areas = new Map<number, Float64Array>();
  for (let i = 0; i < spans.count; i++) {
    const r = spans.row[i]!;
    if (r < 0 || r >= meta.height) continue;
    const a = Math.max(0, spans.x0[i]!), b = Math.min(meta.width, spans.x1[i]!);
    for (let bx = a >> 8; a < b && bx <= (b - 1) >> 8; bx++) {
      if (store.isEmpty(0, bx, r >> 8)) continue;
      const block = store.block16(0, bx, r >> 8);
      const inRow = (r & (BLOCK - 1)) * BLOCK;
      for (let c = Math.max(a, bx * BLOCK); c < Math.min(b, (bx + 1) * BLOCK); c++) {
        const v = block[inRow + (c & (BLOCK - 1))]!;
        if (v === 0) continue;
        const day = alertDay(v), conf = alertConfidence(v);
        if (day < filter.fromDay || day > filter.toDay || !(filter.confidenceMask & (1 << conf))) continue;
        if (out.length >= max) throw new AlertWorkLimitError(`More than ${max} alert pixels match: choose fewer dates or confidences, or a smaller area.`);
        const br = r >> 8;
        let rowAreas = areas.get(br);
        if (!rowAreas) {
          rowAreas = rowAreasHa(meta, br * BLOCK, BLOCK);
          areas.set(br, rowAreas);
        }
        out.push({ col: c, row: r, lon: meta.west + (c + 0.5) * meta.pixelSize, lat: meta.north - (r + 0.5) * dy, day, confidence: conf, ha: rowAreas[r & (BLOCK - 1)]! });
      }
    }
  }
  return out;
}
