// Raster ingest against gdal_translate -of COG on the same LZW GeoTIFF in a real Hansen tile's
// layout (--size x --size, uint8, LZW, one row per strip, EPSG:4326 at one arc-second), made here by
// GDAL from the demo raster (cropped square and upsampled).
// usage: npm run bench -- tests/bench/raster_ingest.bench.ts [--size 40000] [--rounds 3]
// (the source is the demo raster upsampled, so it compresses better than a real Hansen tile)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateDemoData } from '../../server/demo/generate';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { size: { type: 'string', default: '40000' }, rounds: { type: 'string', default: '3' } } });
const size = Number(values.size);
const rounds = Number(values.rounds);
try {
  execFileSync('gdal_translate', ['--version'], { stdio: 'ignore' });
} catch {
  console.log('raster ingest bench skipped: gdal_translate not found (apt-get install gdal-bin)');
  process.exit(0);
}
const root = fileURLToPath(new URL('../..', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-raster-'));
const manifest = await generateDemoData({ outDir: path.join(work, 'demo') });
const src = path.join(work, 'lossyear_lzw.tif');
const east = -80 + size / 3600;
execFileSync('gdal_translate', ['-q', '-srcwin', '0', '0', '4000', '4000', '-outsize', String(size), String(size), '-r', 'nearest', '-a_ullr', '-80', '0', String(east), String(-size / 3600), '-co', 'COMPRESS=LZW', '-co', 'BLOCKYSIZE=1', '-co', 'BIGTIFF=IF_SAFER', path.join(work, 'demo', manifest.files.lossyear), src]);
console.log(`source: ${size} x ${size} LZW in one-row strips (as Hansen tiles), ${(fs.statSync(src).size / 1e6).toFixed(0)} MB`);

const timeCmd = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { env, encoding: 'utf8', cwd: root, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(-2000)}`);
  return { ms: performance.now() - t, rssMb: Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]) / 1024) };
};
const ours = () => timeCmd(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/raster_add.ts'), src, '--kind', 'lossyear', '--name', 'bench'], { ...process.env, DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', ATALAYA_DATA_DIR: path.join(work, 'var') });
const gdal = () => timeCmd('gdal_translate', ['-q', '-of', 'COG', '-co', 'COMPRESS=DEFLATE', src, path.join(work, 'cog.tif')]);
const o: { ms: number; rssMb: number }[] = [];
const g: { ms: number; rssMb: number }[] = [];
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) { o.push(ours()); g.push(gdal()); } else { g.push(gdal()); o.push(ours()); }
}
const result = {
  case: `ingest ${size} x ${size} LZW lossyear GeoTIFF (one-row strips)`, oursMedianMs: median(o.map((x) => x.ms)), peerMedianMs: median(g.map((x) => x.ms)),
  ratio: median(o.map((x) => x.ms)) / median(g.map((x) => x.ms)), peer: 'gdal_translate -of COG -co COMPRESS=DEFLATE', oursPeakRssMb: Math.max(...o.map((x) => x.rssMb)), peerPeakRssMb: Math.max(...g.map((x) => x.rssMb)), rounds,
};
console.table([{ case: result.case, 'ours ms': Math.round(result.oursMedianMs), 'gdal ms': Math.round(result.peerMedianMs), ratio: result.ratio.toFixed(2), 'ours RSS MB': result.oursPeakRssMb, 'gdal RSS MB': result.peerPeakRssMb }]);
recordResult('raster_ingest', result);
fs.rmSync(work, { recursive: true, force: true });
