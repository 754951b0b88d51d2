// Alert statistics (issue: exact alerts near every concession) against GDAL + numpy: a sparse GFW
// integrated-alerts tile of size x size pixels (40,000 = a whole 10-degree Hansen-grid tile) and
// 20,000 concessions of 224 vertices; per concession the alert pixels per confidence in a date
// range, checked equal to GDAL first, then timed (both single-threaded). Also the tile's ingest
// (time and peak RSS) into the 16-bit store.
// usage: npm run bench -- tests/bench/alerts.bench.ts [--size 40000] [--count 20000] [--rounds 3] [--ingest-only]
// (--ingest-only --size 100000: the issue's 100,000 x 100,000 ingest under 2 GiB; GDAL's side would
// need a 20 GB index raster in memory, so the statistics are measured on 40,000.)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ingestAlerts } from '../../server/alerts/alert_ingest';
import { alertsOfGeometry } from '../../server/alerts/alert_zonal';
import { dayOf, today } from '../../server/alerts/alert_encoding';
import { BlockStore } from '../../server/raster/block_store';
import { gridConcessions } from './grid_concessions';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { size: { type: 'string', default: '40000' }, count: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' }, 'ingest-only': { type: 'boolean' } } });
const size = Number(values.size);
const count = Number(values.count);
const rounds = Number(values.rounds);
const PY = '/usr/bin/python3';
const root = fileURLToPath(new URL('../..', import.meta.url));
try {
  execFileSync(PY, ['-c', 'from osgeo import gdal; import numpy'], { stdio: 'ignore' });
} catch {
  console.log('alerts bench skipped: needs python3-gdal and python3-numpy');
  process.exit(0);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-alerts-'));
const W = -70, N = -10, P = 0.00025;
const TODAY = today();
const tif = path.join(work, '10S_070W.tif');
console.log(`generating a sparse ${size} x ${size} integrated-alerts tile and ${count} concessions in ${work}`);
let t = performance.now();
execFileSync(PY, [path.join(root, 'tests/bench/alerts_gdal.py'), 'make', tif, String(size), String(TODAY)]);
console.log(`tile written in ${Math.round((performance.now() - t) / 1000)} s, ${Math.round(fs.statSync(tif).size / 1e6)} MB`);

// Ingest, with this process's peak RSS sampled.
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
t = performance.now();
const ingest = await ingestAlerts([tif], path.join(work, 'store'), 'gfw-integrated');
const ingestMs = performance.now() - t;
clearInterval(sampler);
console.log(`ingest: ${Math.round(ingestMs / 1000)} s, peak RSS ${Math.round(peakRss / 1048576)} MB, ${ingest.alertPixels} alert pixels`);
if (values['ingest-only']) {
  const result = { size, ingest: { ms: Math.round(ingestMs), peakRssMb: Math.round(peakRss / 1048576), alertPixels: ingest.alertPixels, fileMb: Math.round(fs.statSync(tif).size / 1e6) } };
  console.log(JSON.stringify(result, null, 2));
  recordResult(`alerts_ingest_${size}`, result);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(0);
}
const store = new BlockStore(path.join(work, 'store'), 4096);

// 20,000 wobbly squares of about 3.5 km (224 vertices) on a grid over the tile.
const polygons = gridConcessions(count, { west: W, north: N, spanDeg: size * P });
const features = polygons.map((g, i) => `{"type":"Feature","properties":{"idx":${i + 1}},"geometry":${JSON.stringify(g)}}`);
const polygonsFile = path.join(work, 'concessions.geojson');
fs.writeFileSync(polygonsFile, `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}`);
const from = TODAY - 89, to = TODAY; // the concession review's "last 90 days"

const gdal = () => {
  const out = path.join(work, 'gdal.json');
  const r = spawnSync('/usr/bin/time', ['-v', PY, path.join(root, 'tests/bench/alerts_gdal.py'), 'count', tif, polygonsFile, String(from), String(to), out], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr.slice(-2000));
  const rss = Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]) / 1024);
  return { ...(JSON.parse(fs.readFileSync(out, 'utf8')) as { seconds: number; counts: number[][] }), rss };
};
const ours = () => polygons.map((g) => alertsOfGeometry(g, store, { fromDay: from, toDay: to, confidenceMask: 0b1110 }));
const reference = gdal();
const first = ours();
let mismatches = 0;
first.forEach((z, i) => {
  const sum = [0, 0, 0];
  for (const d of z.days.values()) for (let c = 0; c < 3; c++) sum[c]! += d.px[c + 1]!;
  if (sum.some((v, c) => v !== reference.counts[i]![c])) if (mismatches++ < 5) console.log(`concession ${i}: ours ${sum}, GDAL ${reference.counts[i]}`);
});
console.log(`equivalence: ${count} concessions x 3 confidences against GDAL: ${mismatches === 0 ? 'equal' : `${mismatches} differ`}`);
const oursMs: number[] = [];
const gdalMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  if (r % 2) gdalMs.push(gdal().seconds * 1000);
  const s = performance.now();
  ours();
  oursMs.push(performance.now() - s);
  if (!(r % 2)) gdalMs.push(gdal().seconds * 1000);
}
const result = {
  size, count, rounds,
  ingest: { ms: Math.round(ingestMs), peakRssMb: Math.round(peakRss / 1048576), alertPixels: ingest.alertPixels, fileMb: Math.round(fs.statSync(tif).size / 1e6) },
  statistics: { oursMedianMs: Math.round(median(oursMs)), gdalMedianMs: Math.round(median(gdalMs)), gdalRssMb: reference.rss, ratio: +(median(oursMs) / median(gdalMs)).toFixed(3), equal: mismatches === 0, days: `${from}..${to} (${dayOf('2015-01-01')} = 2015-01-01)` },
};
console.log(JSON.stringify(result, null, 2));
recordResult('alerts', result);
fs.rmSync(work, { recursive: true, force: true });
