// Zonal statistics (BENCH.md (c)) against GDAL + numpy (rasterize + bincount) and PostGIS raster
// (ST_ValueCount(ST_Clip(...)) on raster2pgsql tiles), on a Hansen-like 20000 x 20000 lossyear +
// treecover2000 pair (the demo raster, cropped to 4000 x 4000 and upsampled by GDAL, LZW, tiled)
// and 20,000 concessions of 224 vertices. Per-polygon per-year counts are checked equal first.
// usage: npm run bench -- tests/bench/zonal.bench.ts [--size 20000] [--count 20000] [--rounds 5] [--no-postgis]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { forestLayer } from '../../server/analysis/zonal/forest_layer';
import { zonalLossOfGeometry } from '../../server/analysis/zonal/zonal_loss';
import { ZonalPool } from '../../server/analysis/zonal/zonal_pool';
import type { ZonalTaskResult } from '../../server/analysis/zonal/zonal_worker';
import { gridConcessions } from './grid_concessions';
import { BlockStore } from '../../server/raster/block_store';
import { ingestGeoTiff } from '../../server/raster/ingest';
import { BENCH_GRID, benchBounds, upsampledDemoRasters } from './bench_rasters';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { size: { type: 'string', default: '20000' }, count: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '5' }, 'no-postgis': { type: 'boolean' } } });
const size = Number(values.size);
const count = Number(values.count);
const rounds = Number(values.rounds);
const PY = '/usr/bin/python3';
const root = fileURLToPath(new URL('../..', import.meta.url));
try {
  execFileSync(PY, ['-c', 'from osgeo import gdal; import numpy'], { stdio: 'ignore' });
  execFileSync('gdal_translate', ['--version'], { stdio: 'ignore' });
} catch {
  console.log('zonal bench skipped: needs gdal-bin, python3-gdal and python3-numpy (apt-get install gdal-bin python3-gdal python3-numpy)');
  process.exit(0);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-zonal-'));
const { west: W, north: N, east: E, south: S } = benchBounds(size);
const P = BENCH_GRID.pixelDeg;
console.log(`generating a ${size} x ${size} lossyear + treecover pair and ${count} concessions in ${work}`);
const { lossyear: lossTif, treecover: coverTif } = await upsampledDemoRasters(work, size, ['lossyear', 'treecover']);
await ingestGeoTiff(lossTif, path.join(work, 'store-loss'), 'lossyear');
await ingestGeoTiff(coverTif, path.join(work, 'store-cover'), 'treecover');
const loss = new BlockStore(path.join(work, 'store-loss'), 4096);
const cover = new BlockStore(path.join(work, 'store-cover'), 4096);

// 20,000 wobbly squares of about 3.5 km (224 vertices) on a grid over the raster.
const polygons = gridConcessions(count, { west: W, north: N, spanDeg: size * P }).map((g) => JSON.stringify(g));
const features = polygons.map((g, i) => `{"type":"Feature","properties":{"idx":${i + 1}},"geometry":${g}}`);
const polygonsFile = path.join(work, 'concessions.geojson');
fs.writeFileSync(polygonsFile, `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}`);
// One large protected area: a 4,000-vertex ragged disc of about 1 degree radius (Alto Purus is 2.5 Mha).
const big: number[][] = [];
for (let i = 0; i < 4000; i++) {
  const a = (i / 4000) * 2 * Math.PI;
  const r = 0.95 + 0.05 * Math.sin(i * 0.37) * Math.cos(i * 0.011);
  big.push([W + size * P * 0.5 + r * Math.cos(a), N - size * P * 0.5 + r * Math.sin(a)]);
}
big.push(big[0]!);
const bigPolygon = { type: 'Polygon', coordinates: [big] };

// Peak memory of this process (main thread + workers share it), sampled.
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
const time = <T>(f: () => T) => {
  const t = performance.now();
  const r = f();
  return { ms: performance.now() - t, r };
};
const timeAsync = async <T>(f: () => Promise<T>) => {
  const t = performance.now();
  const r = await f();
  return { ms: performance.now() - t, r };
};

// --- GDAL + numpy, once for the counts, then timed warm.
const gdal = () => {
  const out = path.join(work, 'gdal.json');
  const r = spawnSync('/usr/bin/time', ['-v', PY, path.join(root, 'tests/bench/zonal_gdal.py'), lossTif, coverTif, '30', polygonsFile, out], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr.slice(-2000));
  const rss = Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]) / 1024);
  return { ...(JSON.parse(fs.readFileSync(out, 'utf8')) as { seconds: number; counts: number[][] }), rss };
};
const reference = gdal();

// --- Ours: the forest layer (loss over forest) and its block summaries, built once per threshold.
const forestBuild = time(() => forestLayer(loss, cover, 30)).ms;
console.log(`forest layer and summaries built in ${Math.round(forestBuild)} ms (once per tree cover layer and threshold)`);

// --- Ours: the concessions on the worker pool.
const pool = new ZonalPool();
const CHUNK = 24;
function polygonWkb(ring: number[][]): Uint8Array {
  const buf = Buffer.alloc(1 + 4 + 4 + 4 + ring.length * 16);
  buf.writeUInt8(1, 0);
  buf.writeUInt32LE(3, 1);
  buf.writeUInt32LE(1, 5);
  buf.writeUInt32LE(ring.length, 9);
  ring.forEach((p, i) => {
    buf.writeDoubleLE(p[0]!, 13 + i * 16);
    buf.writeDoubleLE(p[1]!, 21 + i * 16);
  });
  return new Uint8Array(buf);
}
// As the statistics service sends them: WKB, in contiguous runs of the spatially sorted list.
const wkbs = polygons.map((g) => polygonWkb(JSON.parse(g).coordinates[0]));
const runSize = Math.ceil(polygons.length / (pool.size * 16));
const runBatch = async () => {
  const chunks: Promise<ZonalTaskResult[]>[] = [];
  for (let i = 0; i < polygons.length; i += runSize) {
    chunks.push(pool.run({ loss: { dir: loss.dir, stamp: 'b' }, treecover: { dir: cover.dir, stamp: 'b' }, threshold: 30, items: wkbs.slice(i, i + runSize).map((wkb, k) => ({ id: i + k, wkb })) }));
  }
  return (await Promise.all(chunks)).flat();
};
const first = await runBatch();
let mismatches = 0;
for (const r of first) {
  const ref = reference.counts[r.id]!;
  const ours = r.result!.lossPixels;
  for (let c = 0; c < ref.length; c++) {
    if ((ours[c] ?? 0) === ref[c]) continue;
    if (mismatches++ < 5) console.log(`polygon ${r.id} code ${c}: ours ${ours[c] ?? 0}, GDAL ${ref[c]}`);
    if (process.env.BENCH_KEEP) fs.writeFileSync(path.join(work, `mismatch-${r.id}.json`), polygons[r.id]!);
  }
}
console.log(`equivalence: ${count} concessions x ${reference.counts[0]!.length} codes against GDAL: ${mismatches === 0 ? 'equal' : `${mismatches} differ`}`);

const batch: number[] = [];
const gdalRuns: number[] = [];
let gdalRss = reference.rss;
for (let r = 0; r < rounds; r++) {
  const g = () => {
    const x = gdal();
    gdalRuns.push(x.seconds * 1000);
    gdalRss = Math.max(gdalRss, x.rss);
  };
  if (r % 2) g();
  batch.push((await timeAsync(runBatch)).ms);
  if (!(r % 2)) g();
}

// --- Ours: one large protected area, warm, in the calling thread (as the HTTP endpoint runs it).
const layers = { loss, treecover: cover, threshold: 30 };
for (let k = 0; k < 10; k++) zonalLossOfGeometry(bigPolygon, layers); // warm: blocks cached, code compiled
const bigMs = Array.from({ length: Math.max(rounds, 15) }, () => time(() => zonalLossOfGeometry(bigPolygon, layers)).ms);
const bigNoSummaries = Array.from({ length: 3 }, () => time(() => zonalLossOfGeometry(bigPolygon, { ...layers, useSummaries: false })).ms);
const bigResult = zonalLossOfGeometry(bigPolygon, layers);
// The largest protected area in the real data (Alto Purus, SERNANP outline, 2.51 Mha), moved onto the
// synthetic raster so that its real boundary is measured.
let realPa: { name: string; pixels: number; warmMedianMs: number } | { skipped: string } = { skipped: 'no ../shared/data' };
const paFile = path.join(root, '../shared/data/protected_areas/sernanp_anp_madre_de_dios_ecoselva.geojson');
if (fs.existsSync(paFile)) {
  const fc = JSON.parse(fs.readFileSync(paFile, 'utf8')) as { features: { properties: { nombre: string; total_ha: number }; geometry: { type: string; coordinates: number[][][] } }[] };
  const largest = fc.features.sort((a, b) => b.properties.total_ha - a.properties.total_ha)[0]!;
  const ring = largest.geometry.coordinates[0]!;
  const cx = ring.reduce((t, p) => t + p[0]!, 0) / ring.length;
  const cy = ring.reduce((t, p) => t + p[1]!, 0) / ring.length;
  const moved = { type: 'Polygon', coordinates: largest.geometry.coordinates.map((r) => r.map(([x, y]) => [x! - cx + (W + E) / 2, y! - cy + (N + S) / 2])) };
  for (let k = 0; k < 10; k++) zonalLossOfGeometry(moved, layers);
  const ms = Array.from({ length: 15 }, () => time(() => zonalLossOfGeometry(moved, layers)).ms);
  realPa = { name: largest.properties.nombre, pixels: zonalLossOfGeometry(moved, layers).coveredPixels, warmMedianMs: median(ms) };
}

// --- Ours: a full scan of every pixel (no summaries), one core, with and without the forest mask.
const whole = { type: 'Polygon', coordinates: [[[W - 0.1, N + 0.1], [E + 0.1, N + 0.1], [E + 0.1, S - 0.1], [W - 0.1, S - 0.1], [W - 0.1, N + 0.1]]] };
const scanMasked = Array.from({ length: rounds }, () => time(() => zonalLossOfGeometry(whole, { ...layers, useSummaries: false })).ms);
const scanPlain = Array.from({ length: rounds }, () => time(() => zonalLossOfGeometry(whole, { loss, useSummaries: false })).ms);
// Two cores: each worker scans half the rows.
const halves = [
  { type: 'Polygon', coordinates: [[[W - 0.1, N + 0.1], [E + 0.1, N + 0.1], [E + 0.1, (N + S) / 2], [W - 0.1, (N + S) / 2], [W - 0.1, N + 0.1]]] },
  { type: 'Polygon', coordinates: [[[W - 0.1, (N + S) / 2], [E + 0.1, (N + S) / 2], [E + 0.1, S - 0.1], [W - 0.1, S - 0.1], [W - 0.1, (N + S) / 2]]] },
];
const scan2 = async () => Promise.all(halves.map((h, i) => pool.run({ loss: { dir: loss.dir, stamp: 'b' }, treecover: { dir: cover.dir, stamp: 'b' }, threshold: 30, useSummaries: false, items: [{ id: i, geojson: JSON.stringify(h) }] })));
await scan2();
const scanTwo: number[] = [];
for (let r = 0; r < rounds; r++) scanTwo.push((await timeAsync(scan2)).ms);

// --- PostGIS raster: ST_ValueCount(ST_Clip()) per polygon on 256 x 256 raster2pgsql tiles (loss only).
let postgis: { ms: number[]; equal: boolean } | { skipped: string } = { skipped: 'not run (--no-postgis)' };
if (!values['no-postgis']) {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = `atalaya_bench_zonal_${process.pid}`;
  const psql = (args: string[], input?: string, database = 'postgres') => execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-qAt', `${url.replace(/\/[^/]*$/, '')}/${database}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...(input ? { input } : {}) });
  try {
    psql(['-c', `CREATE DATABASE ${db}`]);
    psql(['-c', 'CREATE EXTENSION postgis; CREATE EXTENSION postgis_raster;'], undefined, db);
    const sqlFile = path.join(work, 'raster.sql');
    execFileSync('sh', ['-c', `raster2pgsql -q -s 4326 -t 256x256 -I -C ${lossTif} loss > ${sqlFile}`]);
    psql(['-f', sqlFile], undefined, db);
    psql(['-c', 'CREATE TABLE concession (id int PRIMARY KEY, geom geometry(Polygon, 4326))'], undefined, db);
    const copy = polygons.map((g, i) => `${i}\t${g}`).join('\n');
    psql(['-c', "CREATE TEMP TABLE c (id int, g text); COPY c FROM STDIN; INSERT INTO concession SELECT id, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) FROM c; CREATE INDEX ON concession USING gist (geom); ANALYZE;"], `${copy}\n\\.\n`, db);
    const query = `SELECT c.id, (vc).value, sum((vc).count)::bigint FROM concession c JOIN loss r ON ST_Intersects(r.rast, c.geom),
      LATERAL ST_ValueCount(ST_Clip(r.rast, c.geom, true), 1, false) AS vc GROUP BY 1, 2`;
    const runPg = () => {
      const t = performance.now();
      const out = psql(['-c', query], undefined, db);
      return { ms: performance.now() - t, out };
    };
    const firstPg = runPg();
    // Equivalence against ours without the forest mask.
    const plain = await Promise.all(
      Array.from({ length: Math.ceil(polygons.length / CHUNK) }, (_, k) =>
        pool.run({ loss: { dir: loss.dir, stamp: 'b' }, threshold: 0, items: polygons.slice(k * CHUNK, (k + 1) * CHUNK).map((g, m) => ({ id: k * CHUNK + m, geojson: g })) }),
      ),
    );
    const ours = new Map<string, number>();
    // Code 0 is left out: ST_Clip marks the pixels outside the polygon as no-data 0, so PostGIS cannot
    // tell "no loss" inside from outside.
    for (const r of plain.flat()) r.result!.lossPixels.forEach((n, code) => n && code > 0 && ours.set(`${r.id}|${code}`, n));
    let diff = 0;
    let seen = 0;
    for (const line of firstPg.out.trim().split('\n')) {
      const [id, value, n] = line.split('|').map(Number) as [number, number, number];
      if (value === 0) continue;
      seen++;
      if (ours.get(`${id}|${value}`) !== n) diff++;
    }
    const ms = [firstPg.ms];
    for (let r = 1; r < Math.min(rounds, 3); r++) ms.push(runPg().ms);
    postgis = { ms, equal: diff === 0 && seen === ours.size };
    if (diff || seen !== ours.size) console.log(`PostGIS raster: ${diff} of ${seen} (id, code) counts differ; ours has ${ours.size}`);
  } catch (e) {
    postgis = { skipped: `PostGIS raster failed: ${(e as Error).message.slice(0, 300)}` };
  } finally {
    try {
      psql(['-c', `DROP DATABASE IF EXISTS ${db}`]);
    } catch {
      /* left for the next run */
    }
  }
}
// --- geoblaze: parses the whole GeoTIFF into memory, so it gets a 4,000 x 4,000 crop (LZW) and the
// concessions that lie inside it; loss only, as its histogram has no forest mask.
let geoblazeResult: Record<string, unknown>;
try {
  const crop = 4000;
  const cropTif = path.join(work, 'crop.tif');
  execFileSync('gdal_translate', ['-q', '-srcwin', '0', '0', String(crop), String(crop), '-co', 'COMPRESS=LZW', lossTif, cropTif]);
  const cropEast = W + crop * P;
  const cropSouth = N - crop * P;
  const inside = polygons.map((g, id) => ({ id, g: JSON.parse(g) as { coordinates: number[][][] } })).filter(({ g }) => g.coordinates[0]!.every(([x, y]) => x! > W && x! < cropEast && y! < N && y! > cropSouth));
  // @ts-expect-error geoblaze ships no types
  const geoblaze = (await import('geoblaze')).default as { parse(b: ArrayBuffer): Promise<unknown>; histogram(r: unknown, g: unknown, o: object): Promise<Record<string, number>[]> };
  const bytes = fs.readFileSync(cropTif);
  const parsed = await timeAsync(() => geoblaze.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
  const runGeoblaze = async () => {
    const out: Record<string, number>[] = [];
    for (const { g } of inside) out.push((await geoblaze.histogram(parsed.r, { type: 'Polygon', coordinates: g.coordinates }, { scaleType: 'nominal' }))[0]!);
    return out;
  };
  const plainLayers = { loss };
  const runOurs = () => inside.map(({ g }) => zonalLossOfGeometry({ type: 'Polygon', coordinates: g.coordinates }, plainLayers));
  const gb = await runGeoblaze();
  const ours = runOurs();
  let differ = 0;
  inside.forEach((_, k) => {
    const o: Record<string, number> = {};
    ours[k]!.lossPixels.forEach((n, code) => n && (o[String(code)] = n));
    const h = Object.fromEntries(Object.entries(gb[k]!).filter(([, n]) => n > 0));
    if (JSON.stringify(Object.entries(o).sort()) !== JSON.stringify(Object.entries(h).sort())) differ++;
  });
  const gbMs: number[] = [];
  const ourMs: number[] = [];
  for (let r = 0; r < Math.min(rounds, 3); r++) {
    gbMs.push((await timeAsync(runGeoblaze)).ms);
    ourMs.push(time(runOurs).ms);
  }
  geoblazeResult = { polygons: inside.length, raster: `${crop} x ${crop} crop`, parseMs: parsed.ms, geoblazeMedianMs: median(gbMs), oursMedianMs: median(ourMs), ratio: median(ourMs) / median(gbMs), polygonsWithDifferentCounts: differ, note: 'ours: one thread, loss only, same polygons on the full store' };
} catch (e) {
  geoblazeResult = { skipped: `geoblaze failed: ${(e as Error).message.slice(0, 200)}` };
}

clearInterval(sampler);
await pool.close();

const mpx = (size * size) / 1e6;
const result = {
  raster: `${size} x ${size} lossyear + treecover2000, LZW tiled`,
  concessions: count,
  equivalentToGdal: mismatches === 0,
  concessionsOursMedianMs: median(batch),
  concessionsGdalNumpyMedianMs: median(gdalRuns),
  concessionsRatio: median(batch) / median(gdalRuns),
  postgisRaster: 'ms' in postgis ? { medianMs: median(postgis.ms), runs: postgis.ms.length, equal: postgis.equal, ratio: median(batch) / median(postgis.ms), note: 'loss only (no forest mask); ours timed with the mask' } : postgis,
  realProtectedArea: realPa,
  largeProtectedArea: { pixels: bigResult.coveredPixels, forestHa: Math.round(bigResult.forest2000Ha), warmMedianMs: median(bigMs), withoutSummariesMs: median(bigNoSummaries) },
  fullScanOneCore: { maskedMs: median(scanMasked), maskedMpxPerS: mpx / (median(scanMasked) / 1000), plainMs: median(scanPlain), plainMpxPerS: mpx / (median(scanPlain) / 1000) },
  fullScanTwoCores: { ms: median(scanTwo), mpxPerSPerCore: mpx / (median(scanTwo) / 1000) / 2 },
  forestLayerBuildMs: forestBuild,
  oursPeakRssMb: Math.round(peakRss / 1048576),
  gdalPeakRssMb: gdalRss,
  geoblaze: geoblazeResult,
  rounds,
};
console.table([
  { case: `${count} concessions (2 threads vs GDAL+numpy)`, 'ours ms': Math.round(result.concessionsOursMedianMs), 'peer ms': Math.round(result.concessionsGdalNumpyMedianMs), ratio: result.concessionsRatio.toFixed(3), equal: result.equivalentToGdal },
  ...('ms' in postgis ? [{ case: `${count} concessions vs PostGIS raster`, 'ours ms': Math.round(result.concessionsOursMedianMs), 'peer ms': Math.round(median(postgis.ms)), ratio: (median(batch) / median(postgis.ms)).toFixed(3), equal: postgis.equal }] : []),
  ...('geoblazeMedianMs' in geoblazeResult ? [{ case: `${geoblazeResult.polygons} concessions vs geoblaze (4000 x 4000 crop, loss only, 1 thread)`, 'ours ms': Math.round(geoblazeResult.oursMedianMs as number), 'peer ms': Math.round(geoblazeResult.geoblazeMedianMs as number), ratio: (geoblazeResult.ratio as number).toFixed(3), equal: geoblazeResult.polygonsWithDifferentCounts === 0 }] : []),
  ...('warmMedianMs' in realPa ? [{ case: `${realPa.name} (real outline, ${(realPa.pixels / 1e6).toFixed(1)} Mpx), warm`, 'ours ms': +realPa.warmMedianMs.toFixed(1), 'peer ms': '', ratio: '', equal: '' }] : []),
  { case: `large PA (${(bigResult.coveredPixels / 1e6).toFixed(1)} Mpx), warm`, 'ours ms': +result.largeProtectedArea.warmMedianMs.toFixed(1), 'peer ms': '', ratio: '', equal: '' },
  { case: 'full scan, 1 core, forest mask', 'ours ms': Math.round(result.fullScanOneCore.maskedMs), 'peer ms': '', ratio: `${Math.round(result.fullScanOneCore.maskedMpxPerS)} Mpx/s`, equal: '' },
  { case: 'full scan, 1 core, loss only', 'ours ms': Math.round(result.fullScanOneCore.plainMs), 'peer ms': '', ratio: `${Math.round(result.fullScanOneCore.plainMpxPerS)} Mpx/s`, equal: '' },
  { case: 'full scan, 2 cores, forest mask', 'ours ms': Math.round(result.fullScanTwoCores.ms), 'peer ms': '', ratio: `${Math.round(result.fullScanTwoCores.mpxPerSPerCore)} Mpx/s/core`, equal: '' },
]);
console.log(`peak RSS: ours ${result.oursPeakRssMb} MB, GDAL+numpy ${result.gdalPeakRssMb} MB`);
recordResult('zonal', result);
loss.close();
cover.close();
if (!process.env.BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true });
