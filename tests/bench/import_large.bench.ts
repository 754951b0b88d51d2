// A 500 MB GeoJSON through `npm run import` on the embedded database: bounded memory (peak RSS of the
// whole process, WebAssembly PostGIS included), measured with /usr/bin/time -v, and the time taken.
// usage: npm run bench -- tests/bench/import_large.bench.ts [--megabytes 500] [--database embedded|server]
// On the embedded database most of the peak is PGlite's own footprint (about 1.1 GB before any data),
// so the run also imports a one-feature file to measure that baseline; on a PostGIS server the peak
// is the importer's alone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeConcessionsGeoJson } from './generate_concessions';
import { recordResult } from './report';

const { values } = parseArgs({ options: { megabytes: { type: 'string', default: '500' }, database: { type: 'string', default: 'embedded' } } });
const onServer = values.database === 'server';
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const megabytes = Number(values.megabytes);
const features = Math.round((megabytes * 1e6) / 5300); // about 5.3 kB per generated concession
const root = fileURLToPath(new URL('../..', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-large-'));
const file = path.join(work, 'concessions.geojson');
const bytes = await writeConcessionsGeoJson(file, features);
console.log(`generated ${features} concessions, ${(bytes / 1e6).toFixed(0)} MB`);
const useTime = fs.existsSync('/usr/bin/time');
let dbUrl = '';
if (onServer) {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS atalaya_bench_large WITH (FORCE)');
  await admin.query('CREATE DATABASE atalaya_bench_large');
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = '/atalaya_bench_large';
  dbUrl = u.toString();
}
function runImport(input: string, dataDir: string) {
  const cmd = [process.execPath, '--import', 'tsx', path.join(root, 'scripts/import.ts'), input, '--kind', 'forest_concession', '--id-field', 'code'];
  const started = performance.now();
  const r = spawnSync(useTime ? '/usr/bin/time' : cmd[0]!, useTime ? ['-v', ...cmd] : cmd.slice(1), {
    cwd: root,
    env: { ...process.env, DATABASE_URL: dbUrl, ATALAYA_DATA_DIR: dataDir, ATALAYA_DEMO_DATA: 'false' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { r, elapsedMs: performance.now() - started, peakKb: Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN) };
}
const tiny = path.join(work, 'one.geojson');
fs.writeFileSync(tiny, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'baseline' }, geometry: { type: 'Polygon', coordinates: [[[-70, -12], [-69, -12], [-69, -11], [-70, -12]]] } }] }));
const baseline = runImport(tiny, path.join(work, 'var-baseline'));
const { r, elapsedMs, peakKb } = runImport(file, path.join(work, 'var'));
const ok = r.status === 0 && r.stdout.includes(`inserted ${features}`);
console.log(r.stdout.trim().split('\n').slice(-6).join('\n'));
if (!ok) console.log(r.stderr.slice(-3000));
const result = {
  case: `import ${(bytes / 1e6).toFixed(0)} MB GeoJSON (${features} concessions) on the ${onServer ? 'PostGIS server' : 'embedded database'}`,
  elapsedMs: Math.round(elapsedMs), peakRssMb: Math.round(peakKb / 1024), baselinePeakRssMb: Math.round(baseline.peakKb / 1024),
  featuresPerSecond: Math.round(features / (elapsedMs / 1000)), ok,
};
console.table([result]);
recordResult(`import_large_${onServer ? 'server' : 'embedded'}`, result);
fs.rmSync(work, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
