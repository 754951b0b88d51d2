// The Hansen-like rasters the raster benches share: the demo raster's first 4,000 x 4,000 pixels
// upsampled by GDAL (nearest) to size x size at 1 arc-second from 72 W, 10 S, LZW, tiled (the
// layout GDAL, MapServer and PostGIS read best), so every bench measures the same kind of input.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { generateDemoData } from '../../server/demo/generate';
import { latToTileY, lonToTileX } from '../../server/raster/tile_math';
import { Random } from '../../server/util/random';

export const BENCH_GRID = { west: -72, north: -10, pixelDeg: 1 / 3600 } as const;

/** The bench grid's corners for a size x size raster. */
export function benchBounds(size: number): { west: number; north: number; east: number; south: number } {
  const { west, north, pixelDeg } = BENCH_GRID;
  return { west, north, east: west + size * pixelDeg, south: north - size * pixelDeg };
}

/** Writes <kind>.tif in `work` for each kind asked; returns their paths. */
export async function upsampledDemoRasters<K extends 'lossyear' | 'treecover'>(work: string, size: number, kinds: K[]): Promise<Record<K, string>> {
  const manifest = await generateDemoData({ outDir: path.join(work, 'demo') });
  const { west, north, east, south } = benchBounds(size);
  const out = {} as Record<K, string>;
  for (const kind of kinds) {
    out[kind] = path.join(work, `${kind}.tif`);
    execFileSync('gdal_translate', ['-q', '-srcwin', '0', '0', '4000', '4000', '-outsize', String(size), String(size), '-r', 'nearest', '-a_ullr', String(west), String(north), String(east), String(south), '-co', 'TILED=YES', '-co', 'COMPRESS=LZW', '-co', 'BIGTIFF=IF_SAFER', path.join(work, 'demo', manifest.files[kind]), out[kind]]);
  }
  return out;
}

/**
 * Up to `perZoom` tiles a zoom well inside a size x size bench raster for which `paints` is true
 * (empty tiles answer 204 without drawing, so they would measure nothing), picked at random with a
 * fixed seed: every bench and every run draws the same tiles.
 */
export function paintingTiles(size: number, zooms: number[], perZoom: number, paints: (z: number, x: number, y: number) => boolean): [number, number, number][] {
  const { west, north, east, south } = benchBounds(size);
  const rng = new Random(3);
  const tiles: [number, number, number][] = [];
  for (const z of zooms) {
    const x0 = Math.ceil(lonToTileX(west, z));
    const x1 = Math.floor(lonToTileX(east, z)) - 1;
    const y0 = Math.ceil(latToTileY(north, z));
    const y1 = Math.floor(latToTileY(south, z)) - 1;
    const seen = new Set<string>();
    let found = 0;
    for (let k = 0; k < perZoom * 40 && found < perZoom; k++) {
      const x = x0 + Math.floor(rng.next() * (x1 - x0 + 1));
      const y = y0 + Math.floor(rng.next() * (y1 - y0 + 1));
      if (seen.has(`${x}/${y}`)) continue;
      seen.add(`${x}/${y}`);
      if (paints(z, x, y)) {
        tiles.push([z, x, y]);
        found++;
      }
    }
  }
  return tiles;
}
