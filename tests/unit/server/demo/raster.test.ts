import { describe, expect, it } from 'vitest';
import { Random } from '../../../../server/util/random';
import { generateLossRasters, type RasterGrid } from '../../../../server/demo/raster';

// A 1200 x 1000 grid at Hansen spacing over the same corridor as the real demo.
const grid: RasterGrid = { west: -70.0, north: -12.5, pixelSize: 0.00025, width: 1200, height: 1000 };
const road: [number, number][] = [[-70.0, -12.6], [-69.7, -12.7]];
const river: [number, number][] = [[-70.0, -12.7], [-69.7, -12.62]];

describe('generateLossRasters', () => {
  const r = generateLossRasters(new Random(3), grid, { rivers: [river], roads: [road] });

  it('is deterministic', () => {
    const again = generateLossRasters(new Random(3), grid, { rivers: [river], roads: [road] });
    expect(Buffer.from(again.lossyear).equals(Buffer.from(r.lossyear))).toBe(true);
    expect(Buffer.from(again.treecover).equals(Buffer.from(r.treecover))).toBe(true);
  });

  it('codes loss as Hansen does (0 or 1..23) with about 9 % of pixels lost, and cover as 0..100 percent', () => {
    let lost = 0;
    let maxYear = 0;
    for (const v of r.lossyear) {
      if (v > maxYear) maxYear = v;
      if (v > 0) lost++;
    }
    expect(maxYear).toBe(23);
    expect(lost / r.lossyear.length).toBeGreaterThan(0.085);
    expect(lost / r.lossyear.length).toBeLessThan(0.1);
    expect(r.treecover.reduce((m, v) => Math.max(m, v), 0)).toBeLessThanOrEqual(100);
    const years = new Set(r.lossyear);
    expect(years.size).toBe(24); // every year 1..23 appears, plus 0
  });

  it('clusters loss along the road and river rather than spreading it evenly', () => {
    // Share of lost pixels within ~1.5 km (60 px) of a line, against the share of all pixels there.
    const toPx = ([lon, lat]: [number, number]) => [(lon - grid.west) / grid.pixelSize, (grid.north - lat) / grid.pixelSize] as const;
    const segs = [road, river].map((l) => [toPx(l[0]!), toPx(l[1]!)] as const);
    const near = (x: number, y: number) =>
      segs.some(([[ax, ay], [bx, by]]) => {
        const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
        return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) < 60;
      });
    let nearAll = 0;
    let nearLost = 0;
    let lost = 0;
    for (let y = 0; y < grid.height; y += 2) {
      for (let x = 0; x < grid.width; x += 2) {
        const isNear = near(x, y);
        if (isNear) nearAll++;
        if (r.lossyear[y * grid.width + x]! > 0) {
          lost++;
          if (isNear) nearLost++;
        }
      }
    }
    const areaShare = nearAll / ((grid.width * grid.height) / 4);
    expect(nearLost / lost).toBeGreaterThan(areaShare * 1.8);
  });

  it('leaves rivers as water: no tree cover and no loss', () => {
    const [x, y] = [Math.round(600), Math.round((grid.north - (-12.7 + (-12.62 + 12.7) * 0.5)) / grid.pixelSize)];
    expect(r.treecover[y * grid.width + x]).toBe(0);
    expect(r.lossyear[y * grid.width + x]).toBe(0);
  });
});
