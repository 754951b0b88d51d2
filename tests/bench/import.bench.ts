// Vector import against ogr2ogr -f PostgreSQL, same file, same PostGIS server, alternating order.
// usage: npm run bench -- tests/bench/import.bench.ts [--features 20000] [--rounds 3]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { importFeatureFile } from '../../server/import/feature_importer';
import { writeConcessionsGeoJson } from './generate_concessions';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { features: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' } } });
const features = Number(values.features);
const rounds = Number(values.rounds);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

try {
  execFileSync('ogr2ogr', ['--version'], { stdio: 'ignore' });
} catch {
  console.log('import bench skipped: ogr2ogr not found (apt-get install gdal-bin)');
  process.exit(0);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-import-'));
const file = path.join(work, 'concessions.geojson');
const bytes = await writeConcessionsGeoJson(file, features);
console.log(`generated ${features} concessions, ${(bytes / 1e6).toFixed(1)} MB`);

const dbName = `atalaya_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', databasePoolSize: 2 }, { purpose: 'bench' });
await migrateToLatest(database.db);

async function ours(): Promise<number> {
  await sql`TRUNCATE area_row, import_run, import_source RESTART IDENTITY CASCADE`.execute(database.db);
  const t = performance.now();
  const report = await importFeatureFile(database.db, file, { type: 'areas', kind: 'forest_concession' }, { idField: 'code' });
  if (report.inserted !== features) throw new Error(`ours imported ${report.inserted} of ${features}`);
  return performance.now() - t;
}

function ogr2ogr(): number {
  const pgConn = `PG:host=${url.hostname} port=${url.port || 5432} user=${decodeURIComponent(url.username || 'postgres')} dbname=${dbName}`;
  const t = performance.now();
  execFileSync('ogr2ogr', ['-f', 'PostgreSQL', pgConn, file, '-nln', 'ogr_concessions', '-overwrite', '-lco', 'GEOMETRY_NAME=geom', '-nlt', 'PROMOTE_TO_MULTI', '-makevalid', '-t_srs', 'EPSG:4326'], { stdio: 'inherit' });
  return performance.now() - t;
}

await ours(); // warm-up
ogr2ogr();
const oursMs: number[] = [];
const peerMs: number[] = [];
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) {
    oursMs.push(await ours());
    peerMs.push(ogr2ogr());
  } else {
    peerMs.push(ogr2ogr());
    oursMs.push(await ours());
  }
}
clearInterval(sampler);
const { rows } = await sql<{ ours: number; ogr: number }>`SELECT (SELECT count(*)::int FROM area) AS ours, (SELECT count(*)::int FROM ogr_concessions) AS ogr`.execute(database.db);
const equivalent = rows[0]!.ours === features && rows[0]!.ogr === features;
const result = {
  case: `import ${features} concessions GeoJSON (${(bytes / 1e6).toFixed(0)} MB) into PostGIS`,
  oursMedianMs: median(oursMs), peerMedianMs: median(peerMs), ratio: median(oursMs) / median(peerMs), peer: 'ogr2ogr -f PostgreSQL -makevalid',
  rounds, oursMs, peerMs, peakRssMb: Math.round(peakRss / 1e6), outputRows: rows[0], equivalent,
};
console.table([{ case: result.case, 'ours ms': Math.round(result.oursMedianMs), 'ogr2ogr ms': Math.round(result.peerMedianMs), ratio: result.ratio.toFixed(2), 'peak RSS MB': result.peakRssMb, equivalent }]);
recordResult('import', result);
await database.close();
await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.end();
fs.rmSync(work, { recursive: true, force: true });
