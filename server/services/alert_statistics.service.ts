// Stored alert series for every area, site buffer and activity of an alert layer, refreshed by the
// job system after each new alert file. A subject is recomputed only when its geometry changed or
// the new file changed a 256 x 256 block it covers; the others are marked current as they are, which
// is what keeps a weekly update (a few percent of blocks) a small fraction of a full recompute.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { alertSubjectStates, carryAlertStats, findAlertStat, upsertAlertStats, type AlertStatValues, type StoredAlertState } from '../db/repositories/alert_statistics.repository';
import { subjectGeometryWkbs, type StatSubject } from '../db/repositories/loss_statistics.repository';
import { MAX_DAY } from '../alerts/alert_encoding';
import { alertsOfSpans, prefetchSpans, type AlertZonal } from '../alerts/alert_zonal';
import { rasterizeSpans, type Spans } from '../analysis/zonal/scanline';
import { polygonsFromWkb } from '../analysis/zonal/wkb';
import type { RasterStores } from './rasters.service';
import type { RasterLayerRow } from '../db/repositories/raster_layers.repository';

export interface AlertRefreshReport {
  recomputed: number;
  carried: number;
  current: number;
  /** Milliseconds spent reading states, marking carried series, and recomputing. */
  ms?: { states: number; carry: number; compute: number };
}

/** The blocks (level 0) a subject's pixels lie in: [x0, y0, x1, y1] inclusive, or null when none is on the layer. */
function blockBounds(spans: Spans, width: number, height: number): [number, number, number, number] | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < spans.count; i++) {
    const r = spans.row[i]!;
    const a = Math.max(0, spans.x0[i]!), b = Math.min(width, spans.x1[i]!);
    if (r < 0 || r >= height || b <= a) continue;
    x0 = Math.min(x0, a >> 8);
    x1 = Math.max(x1, (b - 1) >> 8);
    y0 = Math.min(y0, r >> 8);
    y1 = Math.max(y1, r >> 8);
  }
  return x0 === Infinity ? null : [x0, y0, x1, y1];
}

function touchesChange(s: StoredAlertState, changed: number[], cols: number): boolean {
  if (s.block_x0 === null) return false;
  for (const i of changed) {
    const bx = i % cols, by = Math.floor(i / cols);
    if (bx >= s.block_x0 && bx <= s.block_x1! && by >= s.block_y0! && by <= s.block_y1!) return true;
  }
  return false;
}

export function layerStamp(layer: RasterLayerRow): string {
  return String(layer.properties.ingestedAt ?? '');
}

/** Brings the stored series of every subject up to the layer's latest ingest. */
export async function refreshAlertStatistics(db: Kysely<Database>, rasters: RasterStores, layer: RasterLayerRow, siteBufferM: number, progress?: (done: number, total: number) => void): Promise<AlertRefreshReport> {
  const store = await rasters.get(layer.name);
  const { width, height } = store.meta;
  const cols = store.meta.levels[0]!.cols;
  const stamp = layerStamp(layer);
  const changed = layer.properties.changed as { from: string | null; blocks: number[] | null } | undefined;
  const report: AlertRefreshReport = { recomputed: 0, carried: 0, current: 0 };
  const ms = { states: 0, carry: 0, compute: 0 };
  let t = performance.now();
  const subjects: [StatSubject, number][] = [['area', 0], ['site', siteBufferM], ['activity', siteBufferM]];
  const states = await Promise.all(subjects.map(([s, b]) => alertSubjectStates(db, s, layer.id, b)));
  const total = states.reduce((n, s) => n + s.length, 0);
  ms.states = performance.now() - t;
  let done = 0;
  for (const [k, [subject, bufferM]] of subjects.entries()) {
    const carry: number[] = [];
    const recompute: StoredAlertState[] = [];
    for (const s of states[k]!) {
      if (s.stored_hash === s.input_hash && s.stored_stamp === stamp) report.current++;
      else if (s.stored_hash === s.input_hash && changed?.blocks && changed.from !== null && s.stored_stamp === changed.from && !touchesChange(s, changed.blocks, cols)) carry.push(s.id);
      else recompute.push(s);
    }
    t = performance.now();
    await carryAlertStats(db, subject, layer.id, bufferM, stamp, carry);
    ms.carry += performance.now() - t;
    t = performance.now();
    report.carried += carry.length;
    done += carry.length;
    for (let i = 0; i < recompute.length; i += 100) {
      const chunk = recompute.slice(i, i + 100);
      const wkbs = await subjectGeometryWkbs(db, subject, chunk.map((s) => s.id), bufferM);
      const values: AlertStatValues[] = [];
      for (const s of chunk) {
        const wkb = wkbs.get(s.id);
        if (!wkb) continue;
        const spans = rasterizeSpans(polygonsFromWkb(wkb), store.meta);
        await prefetchSpans(store, spans, Infinity);
        const z = alertsOfSpans(spans, store, { fromDay: 1, toDay: MAX_DAY, confidenceMask: 0b1110 }, Infinity);
        values.push({
          // Hectares unrounded: answers from storage equal fresh counts to the last digit.
          subjectId: s.id, inputHash: s.input_hash, pixels: z.pixels, coveredPixels: z.coveredPixels, areaHa: z.areaHa, coveredHa: z.coveredHa, blocks: blockBounds(spans, width, height),
          days: [...z.days].sort(([a], [b]) => a - b).map(([day, c]) => [day, c.px[1]!, c.px[2]!, c.px[3]!, c.ha[1]!, c.ha[2]!, c.ha[3]!]),
        });
      }
      await upsertAlertStats(db, subject, layer.id, bufferM, stamp, values);
      report.recomputed += values.length;
      done += chunk.length;
      progress?.(done, total);
      await new Promise((r) => setImmediate(r)); // requests go on between chunks
    }
    ms.compute += performance.now() - t;
  }
  progress?.(total, total);
  return { ...report, ms: { states: Math.round(ms.states), carry: Math.round(ms.carry), compute: Math.round(ms.compute) } };
}

/** The stored series of a subject as counts, when it is current for the layer and the subject's geometry; else undefined. */
export async function storedAlertZonal(db: Kysely<Database>, layer: RasterLayerRow, subject: StatSubject, id: number, bufferM: number, filter: { fromDay: number; toDay: number; confidenceMask: number }): Promise<{ zonal: AlertZonal; computedAt: Date } | undefined> {
  const row = await findAlertStat(db, subject, id, layer.id, bufferM);
  if (!row || row.layer_stamp !== layerStamp(layer)) return undefined;
  const [state] = await alertSubjectStates(db, subject, layer.id, bufferM, [id]);
  if (!state || state.input_hash !== row.input_hash) return undefined;
  const zonal: AlertZonal = { pixels: Number(row.pixels), coveredPixels: Number(row.covered_pixels), areaHa: row.area_ha, coveredHa: row.covered_ha, days: new Map() };
  for (const [day, l, h, x, lh, hh, xh] of row.days as number[][]) {
    if (day! < filter.fromDay || day! > filter.toDay) continue;
    const px: [number, number, number, number] = [0, 0, 0, 0];
    const ha: [number, number, number, number] = [0, 0, 0, 0];
    [[l, lh], [h, hh], [x, xh]].forEach(([p, a], i) => {
      if (filter.confidenceMask & (1 << (i + 1))) {
        px[i + 1] = p!;
        ha[i + 1] = a!;
      }
    });
    if (px[1] + px[2] + px[3] > 0) zonal.days.set(day!, { px, ha });
  }
  return { zonal, computedAt: new Date(row.computed_at) };
}
