// Which alert pixels a field check covers and how a zone's alerts split into confirmed, false and
// unverified: the alert pixel itself, every alert pixel whose centre lies in the refined outline
// (none outside it, no pixel without an alert), the later review over the earlier, the zone and the
// filter (days, confidences) applied as the counts apply them.
import { describe, expect, it } from 'vitest';
import { coveredPixels, verifiedInZone, type AlertCheck } from '../../../../server/alerts/alert_verification';
import { encodeAlert } from '../../../../server/alerts/alert_encoding';
import { BLOCK, type BlockStore } from '../../../../server/raster/block_store';
import { rasterizeSpans } from '../../../../server/analysis/zonal/scanline';
import { polygonsFromGeoJson } from '../../../../server/analysis/zonal/wkb';
import { rowAreasHa } from '../../../../server/analysis/zonal/pixel_area';

const GRID = { west: -70, north: -12, pixelSize: 0.00025, width: 512, height: 512 };
const lon = (c: number) => GRID.west + c * GRID.pixelSize;
const lat = (r: number) => GRID.north - r * GRID.pixelSize;
const box = (c0: number, r0: number, c1: number, r1: number) => ({ type: 'Polygon', coordinates: [[[lon(c0), lat(r1)], [lon(c1), lat(r1)], [lon(c1), lat(r0)], [lon(c0), lat(r0)], [lon(c0), lat(r1)]]] });

/** An in-memory alert store with the three methods the verification reads. */
function store(alerts: { col: number; row: number; day: number; conf: 1 | 2 | 3 }[]): BlockStore {
  const blocks = new Map<string, Uint16Array>();
  for (const a of alerts) {
    const key = `${a.col >> 8}/${a.row >> 8}`;
    if (!blocks.has(key)) blocks.set(key, new Uint16Array(BLOCK * BLOCK));
    blocks.get(key)![(a.row & 255) * BLOCK + (a.col & 255)] = encodeAlert(a.day, a.conf);
  }
  return {
    meta: { version: 1, kind: 'alert', bytesPerPixel: 2, ...GRID, maxValue: 0, levels: [] },
    isEmpty: (_l: number, bx: number, by: number) => !blocks.has(`${bx}/${by}`),
    block16: (_l: number, bx: number, by: number) => blocks.get(`${bx}/${by}`)!,
  } as unknown as BlockStore;
}

const all = { fromDay: 1, toDay: 10_000, confidenceMask: 0b1110 };

describe('alert verification', () => {
  // A row of ten alerts (cols 10-19, row 20), one across a block edge (col 256), one old alert.
  const alerts = [...Array.from({ length: 10 }, (_, i) => ({ col: 10 + i, row: 20, day: 4000, conf: 2 as const })), { col: 256, row: 20, day: 4000, conf: 3 as const }, { col: 30, row: 20, day: 100, conf: 2 as const }];
  const s = store(alerts);

  it('covers the alert pixel and the alert pixels inside the outline, nothing else', () => {
    const covered = coveredPixels([{ col: 10, row: 20, result: 'confirmed', outline: JSON.stringify(box(9, 18, 14, 23)) }], s);
    expect([...covered.keys()].map((k) => k % GRID.width).sort((a, b) => a - b)).toEqual([10, 11, 12, 13]);
    expect([...covered.values()].every((v) => v === 'confirmed')).toBe(true);
  });

  it('lets the check reviewed last decide where checks overlap', () => {
    const checks: AlertCheck[] = [
      { col: 10, row: 20, result: 'confirmed', outline: JSON.stringify(box(9, 18, 20, 23)) },
      { col: 15, row: 20, result: 'false_positive', outline: JSON.stringify(box(14, 18, 17, 23)) },
    ];
    const covered = coveredPixels(checks, s);
    expect(covered.get(20 * GRID.width + 13)).toBe('confirmed');
    expect(covered.get(20 * GRID.width + 15)).toBe('false_positive');
    expect(covered.get(20 * GRID.width + 16)).toBe('false_positive');
    expect(covered.get(20 * GRID.width + 17)).toBe('confirmed');
    // Reversed order: the confirmation, reviewed last, wins everywhere.
    expect(coveredPixels([...checks].reverse(), s).get(20 * GRID.width + 15)).toBe('confirmed');
  });

  it('counts only covered alerts inside the zone that pass the filter, with their geodesic hectares', () => {
    const covered = coveredPixels([
      { col: 10, row: 20, result: 'confirmed', outline: JSON.stringify(box(0, 0, 40, 40)) },
      { col: 256, row: 20, result: 'false_positive', outline: null },
    ], s);
    const zone = rasterizeSpans(polygonsFromGeoJson(box(12, 0, 300, 40) as { type: string; coordinates: unknown }), s.meta);
    const ha = rowAreasHa(s.meta, 20, 1)[0]!;
    const v = verifiedInZone(covered, zone, s, all);
    // Cols 12-19 and the old alert at 30 are confirmed inside the zone; 10 and 11 lie outside it.
    expect(v.confirmed.px).toBe(9);
    expect(v.false_positive.px).toBe(1);
    expect(v.confirmed.ha).toBeCloseTo(9 * ha, 10);
    // The filter: days from 1000 leave the old alert out; highest confidence only leaves the high ones out.
    expect(verifiedInZone(covered, zone, s, { ...all, fromDay: 1000 }).confirmed.px).toBe(8);
    expect(verifiedInZone(covered, zone, s, { ...all, confidenceMask: 1 << 3 })).toMatchObject({ confirmed: { px: 0 }, false_positive: { px: 1 } });
  });
});
