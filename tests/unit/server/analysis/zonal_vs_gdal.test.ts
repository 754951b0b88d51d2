// Per-year pixel counts equal GDAL's (rasterize with the pixel-centre rule + bincount) for the shapes
// that trip rasterizers: edges on pixel centres, holes, multipolygons, polygons off the raster's edge,
// polygons smaller than a pixel, long thin and many-vertex polygons, across block boundaries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonalLossOfGeometry, type ZonalLoss } from '../../../../server/analysis/zonal/zonal_loss';
import { encodeUint8GeoTiff } from '../../../../server/demo/geotiff_writer';
import { BlockStore } from '../../../../server/raster/block_store';
import { ingestGeoTiff } from '../../../../server/raster/ingest';
import { gdalZonal, hasGdalPython, type GdalZonal } from '../../../helpers/gdal_reference';

const P = 1 / 3600; // Hansen's 1 arc-second
const grid = { west: -70, north: -11, pixelSize: P, width: 900, height: 700 };
const lon = (x: number) => grid.west + x * P;
const lat = (y: number) => grid.north - y * P;
const ring = (pts: [number, number][]) => [...pts.map(([x, y]) => [lon(x), lat(y)]), [lon(pts[0]![0]), lat(pts[0]![1])]];

function starPolygon(cx: number, cy: number, r: number, n: number, seed: number) {
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * 2 * Math.PI;
    const rr = r * (0.6 + 0.4 * Math.abs(Math.sin(i * 12.9898 + seed)));
    pts.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
  }
  return { type: 'Polygon', coordinates: [ring(pts)] };
}

const shapes: Record<string, unknown> = {
  'edges on pixel edges': { type: 'Polygon', coordinates: [ring([[10, 10], [300, 10], [300, 280], [10, 280]])] },
  'edges on pixel centres': { type: 'Polygon', coordinates: [ring([[20.5, 30.5], [310.5, 30.5], [310.5, 290.5], [20.5, 290.5]])] },
  'edges on centres, other winding': { type: 'Polygon', coordinates: [ring([[20.5, 30.5], [20.5, 290.5], [310.5, 290.5], [310.5, 30.5]])] },
  'with a hole': { type: 'Polygon', coordinates: [ring([[100, 100], [600, 120], [580, 560], [90, 540]]), ring([[250.3, 250.7], [400.2, 260.1], [380.9, 400.4], [240.6, 390.2]])] },
  multipolygon: { type: 'MultiPolygon', coordinates: [[ring([[5.2, 5.7], [60.1, 8.3], [40.4, 70.9]])], [ring([[700.3, 600.2], [880.6, 610.9], [860.1, 690.4], [690.8, 680.3]])]] },
  'partly outside (west and north)': { type: 'Polygon', coordinates: [ring([[-120.4, -80.2], [200.7, -60.3], [180.2, 150.6], [-90.1, 170.8]])] },
  'partly outside (east and south)': { type: 'Polygon', coordinates: [ring([[800.3, 600.2], [1000.7, 640.3], [950.2, 820.6], [780.1, 760.8]])] },
  'entirely outside': { type: 'Polygon', coordinates: [ring([[1000, 10], [1100, 10], [1100, 100], [1000, 100]])] },
  'smaller than a pixel, no centre': { type: 'Polygon', coordinates: [ring([[50.1, 50.1], [50.4, 50.1], [50.4, 50.4], [50.1, 50.4]])] },
  'smaller than a pixel, on a centre': { type: 'Polygon', coordinates: [ring([[60.3, 60.3], [60.7, 60.3], [60.7, 60.7], [60.3, 60.7]])] },
  'long and thin': { type: 'Polygon', coordinates: [ring([[3.3, 400.1], [890.2, 402.7], [890.6, 404.1], [3.1, 401.9]])] },
  'star, 2000 vertices, across blocks': starPolygon(450.3, 350.8, 300, 2000, 1),
  'star, 50 vertices': starPolygon(200.1, 500.2, 90, 50, 7),
  'covering whole blocks': { type: 'Polygon', coordinates: [ring([[-3.2, -2.7], [895.4, 4.1], [905.3, 703.2], [2.2, 690.6]])] },
  'whole raster and more': { type: 'Polygon', coordinates: [ring([[-10, -10], [910, -10], [910, 710], [-10, 710]])] },
};

function codesOf(z: ZonalLoss): Record<string, number> {
  const out: Record<string, number> = {};
  z.lossPixels.forEach((n, code) => {
    if (n) out[String(code)] = n;
  });
  return out;
}

describe.skipIf(!hasGdalPython)('zonal loss counts against GDAL', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-zonal-'));
  let loss: BlockStore;
  let cover: BlockStore;
  beforeAll(async () => {
    const lossValues = new Uint8Array(grid.width * grid.height);
    const coverValues = new Uint8Array(grid.width * grid.height);
    for (let y = 0; y < grid.height; y++) {
      for (let x = 0; x < grid.width; x++) {
        const h = Math.imul(x * 73856093 ^ y * 19349663, 2654435761) >>> 0;
        lossValues[y * grid.width + x] = h % 5 === 0 ? 1 + (h >>> 8) % 23 : 0;
        coverValues[y * grid.width + x] = (h >>> 16) % 101;
      }
    }
    fs.writeFileSync(path.join(dir, 'loss.tif'), await encodeUint8GeoTiff(grid, lossValues, 'loss'));
    fs.writeFileSync(path.join(dir, 'cover.tif'), await encodeUint8GeoTiff(grid, coverValues, 'cover'));
    await ingestGeoTiff(path.join(dir, 'loss.tif'), path.join(dir, 'loss'), 'lossyear');
    await ingestGeoTiff(path.join(dir, 'cover.tif'), path.join(dir, 'cover'), 'treecover');
    loss = new BlockStore(path.join(dir, 'loss'));
    cover = new BlockStore(path.join(dir, 'cover'));
  });
  afterAll(() => {
    loss?.close();
    cover?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts every pixel like GDAL without a forest mask', () => {
    const names = Object.keys(shapes);
    const reference = gdalZonal(path.join(dir, 'loss.tif'), Object.values(shapes));
    names.forEach((name, i) => {
      const ours = zonalLossOfGeometry(shapes[name] as never, { loss });
      const gdal = reference[i] as GdalZonal;
      expect({ name, pixels: ours.coveredPixels, counts: codesOf(ours) }).toEqual({ name, pixels: gdal.pixels, counts: gdal.counts });
    });
  });

  it('counts forest pixels (tree cover >= threshold) like GDAL at thresholds 30 and 75', () => {
    for (const threshold of [30, 75]) {
      const reference = gdalZonal(path.join(dir, 'loss.tif'), Object.values(shapes), { tif: path.join(dir, 'cover.tif'), threshold });
      Object.keys(shapes).forEach((name, i) => {
        const ours = zonalLossOfGeometry(shapes[name] as never, { loss, treecover: cover, threshold });
        const gdal = reference[i] as GdalZonal;
        expect({ name, threshold, forest: ours.forestPixels, counts: codesOf(ours) }).toEqual({ name, threshold, forest: gdal.forest, counts: gdal.counts });
      });
    }
  });

  it('gives the same counts and hectares from block summaries as from counting every pixel', () => {
    for (const threshold of [0, 30]) {
      for (const name of Object.keys(shapes)) {
        const layers = { loss, treecover: cover, threshold };
        const fast = zonalLossOfGeometry(shapes[name] as never, layers);
        const slow = zonalLossOfGeometry(shapes[name] as never, { ...layers, useSummaries: false });
        expect({ name, px: fast.lossPixels, forest: fast.forestPixels, covered: fast.coveredPixels }).toEqual({ name, px: slow.lossPixels, forest: slow.forestPixels, covered: slow.coveredPixels });
        // Summary hectares are float32 per cell: 7 significant digits, far inside the 0.1 % required.
        fast.lossHa.forEach((ha, code) => expect(Math.abs(ha - slow.lossHa[code]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, ha)));
        expect(Math.abs(fast.forest2000Ha - slow.forest2000Ha)).toBeLessThanOrEqual(1e-6 * Math.max(1, slow.forest2000Ha));
      }
    }
  });

  it('reports the covered share of polygons partly outside the raster', () => {
    const inside = zonalLossOfGeometry(shapes['edges on pixel edges'] as never, { loss });
    expect(inside.coveredPixels).toBe(inside.pixels);
    const partly = zonalLossOfGeometry(shapes['partly outside (west and north)'] as never, { loss });
    expect(partly.coveredPixels).toBeLessThan(partly.pixels);
    expect(partly.coveredAreaHa / partly.areaHa).toBeGreaterThan(0.3);
    expect(partly.coveredAreaHa / partly.areaHa).toBeLessThan(0.7);
    const outside = zonalLossOfGeometry(shapes['entirely outside'] as never, { loss });
    expect(outside.coveredPixels).toBe(0);
    expect(outside.pixels).toBe(100 * 90);
  });
});
