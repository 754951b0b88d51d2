// Loss tiles (BENCH.md (b)) against MapServer 8 in process (python3-mapscript, GDAL reading the same
// LZW GeoTIFF with overviews), same colours and year filter, and against the floor: the covering
// blocks read and inflated for each tile with no cache, colour lookup, indexed PNG encode.
// usage: npm run bench -- tests/bench/raster_tiles.bench.ts [--size 20000] [--tiles 20] [--rounds 7]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { BlockStore } from '../../server/raster/block_store';
import { ingestGeoTiff } from '../../server/raster/ingest';
import { lossPalette } from '../../server/raster/loss_palette';
import { rasterTilePng } from '../../server/services/rasters.service';
import { paintingTiles, upsampledDemoRasters } from './bench_rasters';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { size: { type: 'string', default: '20000' }, tiles: { type: 'string', default: '20' }, rounds: { type: 'string', default: '7' } } });
const size = Number(values.size);
const perZoom = Number(values.tiles);
const rounds = Number(values.rounds);
const PY = '/usr/bin/python3';
const root = fileURLToPath(new URL('../..', import.meta.url));
try {
  execFileSync(PY, ['-c', 'import mapscript'], { stdio: 'ignore' });
} catch {
  console.log('raster tile bench skipped: MapServer 8 not found (apt-get install python3-mapscript mapserver-bin)');
  process.exit(0);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-tiles-'));
console.log(`generating a ${size} x ${size} lossyear raster in ${work}`);
const { lossyear: tif } = await upsampledDemoRasters(work, size, ['lossyear']);
execFileSync('gdaladdo', ['-q', '-r', 'nearest', tif, '2', '4', '8', '16', '32', '64']); // so MapServer reads overviews at low zoom
await ingestGeoTiff(tif, path.join(work, 'store'), 'lossyear');
const store = new BlockStore(path.join(work, 'store'), 8192);
const lastCode = store.meta.maxValue;
const palette = lossPalette(lastCode);
const from = 2005;
const to = 2020;

// Tiles well inside the raster at z8, z10, z12, z14, with some loss in the chosen years.
const paints = (z: number, x: number, y: number) => {
  const png = rasterTilePng(store, z, x, y, { fromYear: from, toYear: to, threshold: 0 });
  return png !== null && png !== undefined;
};
const zooms = [8, 10, 12, 14];
const tiles = paintingTiles(size, zooms, perZoom, paints);

// MapServer, in process.
const spec = path.join(work, 'spec.json');
fs.writeFileSync(spec, JSON.stringify({ tif, colors: Object.fromEntries(palette.slice(1).map((c, i) => [String(i + 1), c.slice(0, 3)])), from: from - 2000, to: to - 2000, tiles, rounds, out_dir: work }));
const ms = JSON.parse(execFileSync(PY, [path.join(root, 'tests/bench/raster_tiles_mapserver.py'), spec], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Record<string, { ms: number; bytes: number }>;

// Ours, warm (blocks cached after the first render), and the floor (no cache: read + inflate each time).
const options = { fromYear: from, toYear: to, threshold: 0 };
const ours: Record<string, { ms: number; bytes: number; floorMs: number }> = {};
let samePixels = 0;
let comparedPixels = 0;
const agreement: Record<number, { same: number; total: number }> = {};
for (const [z, x, y] of tiles) {
  const key = `${z}/${x}/${y}`;
  rasterTilePng(store, z, x, y, options);
  const times: number[] = [];
  let png: Buffer | null | undefined;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    png = rasterTilePng(store, z, x, y, options);
    times.push(performance.now() - t);
  }
  const floor: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const cold = new BlockStore(store.dir, 64);
    const t = performance.now();
    rasterTilePng(cold, z, x, y, options);
    floor.push(performance.now() - t);
    cold.close();
  }
  ours[key] = { ms: median(times), bytes: png ? png.length : 0, floorMs: median(floor) };
  // Same colours? Decode both; compare RGBA where either paints.
  const theirs = PNG.sync.read(fs.readFileSync(path.join(work, `ms-${z}-${x}-${y}.png`)));
  const mine = png ? PNG.sync.read(png) : { data: Buffer.alloc(256 * 256 * 4) };
  const a = (agreement[z] ??= { same: 0, total: 0 });
  for (let i = 0; i < 256 * 256; i++) {
    const o = i * 4;
    const paintedA = mine.data[o + 3]! > 0;
    const paintedB = theirs.data[o + 3]! > 0;
    if (!paintedA && !paintedB) continue;
    a.total++;
    comparedPixels++;
    if (paintedA && paintedB && mine.data[o] === theirs.data[o] && mine.data[o + 1] === theirs.data[o + 1] && mine.data[o + 2] === theirs.data[o + 2]) {
      a.same++;
      samePixels++;
    }
  }
}

const rows = zooms.map((z) => {
  const keys = tiles.filter((t) => t[0] === z).map((t) => t.join('/'));
  const o = median(keys.map((k) => ours[k]!.ms));
  const m = median(keys.map((k) => ms[k]!.ms));
  const f = median(keys.map((k) => ours[k]!.floorMs));
  return { zoom: z, tiles: keys.length, oursMs: o, mapserverMs: m, ratio: o / m, floorMs: f, ratioToFloor: o / f, samePixelShare: agreement[z]!.total ? agreement[z]!.same / agreement[z]!.total : 1, oursBytes: median(keys.map((k) => ours[k]!.bytes)), mapserverBytes: median(keys.map((k) => ms[k]!.bytes)) };
});
console.table(rows.map((r) => ({ zoom: r.zoom, tiles: r.tiles, 'ours ms': r.oursMs.toFixed(2), 'MapServer ms': r.mapserverMs.toFixed(2), ratio: r.ratio.toFixed(3), 'floor ms': r.floorMs.toFixed(2), 'ours/floor': r.ratioToFloor.toFixed(2), 'same colour': `${(r.samePixelShare * 100).toFixed(1)} %`, 'ours bytes': r.oursBytes, 'MapServer bytes': r.mapserverBytes })));
console.log(`painted pixels with the same colour in both: ${((samePixels / Math.max(1, comparedPixels)) * 100).toFixed(2)} % of ${comparedPixels}`);
recordResult('raster_tiles', { raster: `${size} x ${size} lossyear, LZW tiled, GDAL overviews for MapServer`, years: `${from}-${to}`, rounds, rows, note: 'warm medians per tile, in process on both sides; floor = covering blocks read and inflated per tile without cache + lookup + PNG encode' });
store.close();
fs.rmSync(work, { recursive: true, force: true });
