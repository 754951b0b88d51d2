// The raster store in S3-compatible object storage against the same store in a local folder (issue
// 23: "raster tiles and zonal statistics from the S3-compatible store, cache warm: within 1.5x of
// the local folder"). One Hansen-like lossyear layer (the demo raster upsampled by GDAL, LZW, tiled)
// is ingested twice: into a folder, and with ATALAYA_RASTER_STORE into a local S3 server (s3rver, in
// its own process, over HTTP on loopback). Figures, medians over rounds:
// - loss tiles at z8/z10/z12/z14, warm: the server's path (prefetch, then render) once every block
//   is cached; and with the decoded-block cache off, so each render inflates its blocks again from
//   the folder's file (page cache) or from the object store's cache of deflated tiles;
// - zonal loss of grid concessions, second pass (the object store's tiles cached, the decoded
//   blocks not: the layer is larger than the decoded-block cache), and the first pass (cold, range
//   requests with read-ahead) for information;
// - the upload (publish) of the layer.
// usage: npm run bench -- tests/bench/s3_store.bench.ts [--size 20000] [--tiles 20] [--count 4000] [--rounds 5]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { zonalLossOfGeometry } from '../../server/analysis/zonal/zonal_loss';
import { BlockStore } from '../../server/raster/block_store';
import { ingestGeoTiff } from '../../server/raster/ingest';
import { resetRasterObjects } from '../../server/raster/remote/raster_objects';
import { remoteTileCache } from '../../server/raster/remote/remote_tiles';
import { prefetchRasterTile, rasterTilePng } from '../../server/services/rasters.service';
import { startLocalS3 } from '../helpers/s3_server';
import { gridConcessions } from './grid_concessions';
import { BENCH_GRID, benchBounds, paintingTiles, upsampledDemoRasters } from './bench_rasters';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { size: { type: 'string', default: '20000' }, tiles: { type: 'string', default: '20' }, count: { type: 'string', default: '4000' }, rounds: { type: 'string', default: '5' } } });
const size = Number(values.size);
const perZoom = Number(values.tiles);
const count = Number(values.count);
const rounds = Number(values.rounds);
try {
  execFileSync('gdal_translate', ['--version'], { stdio: 'ignore' });
} catch {
  console.log('object store bench skipped: needs gdal-bin (apt-get install gdal-bin) to make its raster');
  process.exit(0);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-s3-'));
const { west: W, north: N } = benchBounds(size);
const P = BENCH_GRID.pixelDeg;
console.log(`generating a ${size} x ${size} lossyear raster in ${work}`);
const { lossyear: tif } = await upsampledDemoRasters(work, size, ['lossyear']);

await ingestGeoTiff(tif, path.join(work, 'local', 'lossyear'), 'lossyear');
const cogBytes = fs.statSync(path.join(work, 'local', 'lossyear', 'layer.tif')).size;
const s3 = await startLocalS3('atalaya-bench');
// The whole layer fits the object store's cache: "cache warm".
Object.assign(process.env, s3.env, { ATALAYA_RASTER_STORE: 's3://atalaya-bench/rasters', ATALAYA_RASTER_CACHE_MB: String(Math.ceil((cogBytes * 1.2) / (1 << 20)) + 16) });
resetRasterObjects();
let t = performance.now();
await ingestGeoTiff(tif, path.join(work, 's3', 'lossyear'), 'lossyear');
const ingestS3Ms = performance.now() - t;
delete process.env.ATALAYA_RASTER_STORE;
resetRasterObjects();
t = performance.now();
await ingestGeoTiff(tif, path.join(work, 'local2', 'lossyear'), 'lossyear');
const ingestLocalMs = performance.now() - t;
process.env.ATALAYA_RASTER_STORE = 's3://atalaya-bench/rasters';
resetRasterObjects();

const local = new BlockStore(path.join(work, 'local', 'lossyear'), 8192);
const remote = await BlockStore.open(path.join(work, 's3', 'lossyear'), 8192);
const options = { fromYear: 2005, toYear: 2020, threshold: 0 };

// Tiles inside the raster that paint, as the raster tile bench picks them.
const zooms = [8, 10, 12, 14];
const tiles = paintingTiles(size, zooms, perZoom, (z, x, y) => Boolean(rasterTilePng(local, z, x, y, options)));

async function tileMs(store: BlockStore, z: number, x: number, y: number): Promise<number> {
  const start = performance.now();
  await prefetchRasterTile(store, z, x, y, {});
  rasterTilePng(store, z, x, y, options);
  return performance.now() - start;
}
const coldTileMs: number[] = [];
for (const [z, x, y] of tiles) coldTileMs.push(await tileMs(remote, z, x, y)); // fills the object store's cache
const noDecodedCache = { local: new BlockStore(local.dir, 0), remote: await BlockStore.open(remote.dir, 0) };
const tileRows = [];
for (const z of zooms) {
  const at = tiles.filter((q) => q[0] === z);
  const per = { local: [] as number[], remote: [] as number[], localOff: [] as number[], remoteOff: [] as number[] };
  for (const [, x, y] of at) {
    await tileMs(local, z, x, y);
    await tileMs(remote, z, x, y);
    const runs = { local: [] as number[], remote: [] as number[], localOff: [] as number[], remoteOff: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      runs.local.push(await tileMs(local, z, x, y));
      runs.remote.push(await tileMs(remote, z, x, y));
      runs.localOff.push(await tileMs(noDecodedCache.local, z, x, y));
      runs.remoteOff.push(await tileMs(noDecodedCache.remote, z, x, y));
    }
    for (const k of ['local', 'remote', 'localOff', 'remoteOff'] as const) per[k].push(median(runs[k]));
  }
  const m = (k: keyof typeof per) => median(per[k]);
  tileRows.push({ zoom: z, tiles: at.length, localMs: m('local'), s3Ms: m('remote'), ratio: m('remote') / m('local'), localNoBlockCacheMs: m('localOff'), s3NoBlockCacheMs: m('remoteOff'), ratioNoBlockCache: m('remoteOff') / m('localOff') });
}
console.table(tileRows.map((r) => ({ zoom: r.zoom, tiles: r.tiles, 'folder ms': r.localMs.toFixed(3), 'S3 ms': r.s3Ms.toFixed(3), ratio: r.ratio.toFixed(2), 'folder, no block cache': r.localNoBlockCacheMs.toFixed(3), 'S3, no block cache': r.s3NoBlockCacheMs.toFixed(3), 'ratio ': r.ratioNoBlockCache.toFixed(2) })));

// Zonal: the same concessions over the folder's and the object store's layer; first the S3 pass cold.
const polygons = gridConcessions(count, { west: W, north: N, spanDeg: size * P });
const zonalPass = (store: BlockStore) => {
  const start = performance.now();
  let pixels = 0;
  for (const g of polygons) pixels += zonalLossOfGeometry(g, { loss: store, threshold: 0, useSummaries: false }).lossPixels.reduce((a, b) => a + b, 0);
  return { ms: performance.now() - start, pixels };
};
const zonalStores = { local: new BlockStore(local.dir, 1024), remote: await BlockStore.open(remote.dir, 1024) };
const cold = zonalPass(zonalStores.remote);
zonalPass(zonalStores.local); // the folder's first pass too, so both are timed from the second
const zonalTimes = { local: [] as number[], remote: [] as number[] };
let same = true;
for (let r = 0; r < rounds; r++) {
  const a = zonalPass(zonalStores.local);
  const b = zonalPass(zonalStores.remote);
  same &&= a.pixels === b.pixels && a.pixels === cold.pixels;
  zonalTimes.local.push(a.ms);
  zonalTimes.remote.push(b.ms);
}
const zonal = { concessions: count, localMs: median(zonalTimes.local), s3Ms: median(zonalTimes.remote), ratio: median(zonalTimes.remote) / median(zonalTimes.local), s3ColdMs: cold.ms, sameCounts: same };
console.log(`zonal loss of ${count} concessions (block scan, 1,024-block decoded cache): folder ${zonal.localMs.toFixed(0)} ms, S3 warm ${zonal.s3Ms.toFixed(0)} ms (${zonal.ratio.toFixed(2)}x), S3 cold ${cold.ms.toFixed(0)} ms; counts equal: ${same}`);
console.log(`ingest ${size} x ${size}: folder ${(ingestLocalMs / 1000).toFixed(1)} s, into S3 (with upload of ${(cogBytes / 1e6).toFixed(0)} MB) ${(ingestS3Ms / 1000).toFixed(1)} s; object store cache ${(remoteTileCache().size / 1e6).toFixed(0)} of ${(remoteTileCache().limitBytes / 1e6).toFixed(0)} MB`);
recordResult('s3_store', {
  raster: `${size} x ${size} lossyear (COG ${(cogBytes / 1e6).toFixed(0)} MB), s3rver on loopback`,
  rounds,
  tiles: tileRows,
  firstTileFromS3Ms: median(coldTileMs),
  zonal,
  ingest: { localMs: ingestLocalMs, s3Ms: ingestS3Ms },
  note: 'medians per tile then per zoom; warm = every block cached in both; no block cache = decoded-block cache off (folder: file read + inflate; S3: cached deflated tile + inflate)',
});
for (const s of [local, remote, noDecodedCache.local, noDecodedCache.remote, zonalStores.local, zonalStores.remote]) s.close();
await s3.close();
fs.rmSync(work, { recursive: true, force: true });
