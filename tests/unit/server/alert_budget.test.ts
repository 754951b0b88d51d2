// A request's alert work is bounded before any pixel is read: an area whose spans cross more blocks
// holding alerts than the budget is refused whole (statistics and exports alike), and blocks
// without alerts cost nothing against it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK, BlockStore, LevelWriter, levelMeta } from '../../../server/raster/block_store';
import { alertPixelsOfSpans, alertsOfSpans, AlertWorkLimitError } from '../../../server/alerts/alert_zonal';
import { rasterizeSpans } from '../../../server/analysis/zonal/scanline';
import { polygonsFromGeoJson } from '../../../server/analysis/zonal/wkb';

/** A 4 x 4-block store at 0.001 degrees whose even blocks hold one alert each (day 100, high). */
function store(): BlockStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-budget-'));
  const lv = levelMeta(4 * BLOCK, 4 * BLOCK, 0.001, 0);
  const w = new LevelWriter(dir, lv);
  for (let by = 0; by < 4; by++) for (let bx = 0; bx < 4; bx++) {
    const b = new Uint16Array(BLOCK * BLOCK);
    if ((bx + by) % 2 === 0) b[BLOCK * 10 + 10] = 100 * 4 + 2;
    w.write(new Uint8Array(b.buffer));
  }
  w.finish();
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ version: 1, kind: 'alert', bytesPerPixel: 2, west: -70, north: -10, pixelSize: 0.001, width: lv.width, height: lv.height, maxValue: 100, minValue: 100, levels: [lv] }));
  return new BlockStore(dir);
}

describe('the alert work budget', () => {
  const s = store();
  const all = rasterizeSpans(polygonsFromGeoJson({ type: 'Polygon', coordinates: [[[-70.1, -11.1], [-68.9, -11.1], [-68.9, -9.9], [-70.1, -9.9], [-70.1, -11.1]]] }), s.meta);
  const filter = { fromDay: 1, toDay: 1000, confidenceMask: 0b1110 };

  it('counts when the blocks holding alerts fit the budget (the empty ones are free)', () => {
    const z = alertsOfSpans(all, s, filter, 8);
    expect([...z.days.values()][0]!.px[2]).toBe(8);
    expect(alertPixelsOfSpans(all, s, filter, 100, 8)).toHaveLength(8);
  });

  it('refuses, whole, an area crossing more blocks with alerts than the budget', () => {
    expect(() => alertsOfSpans(all, s, filter, 7)).toThrow(AlertWorkLimitError);
    expect(() => alertPixelsOfSpans(all, s, filter, 100, 7)).toThrow(/more than 7 blocks of alerts/);
    expect(() => alertPixelsOfSpans(all, s, filter, 5)).toThrow(/More than 5 alert pixels match/);
  });
});
