// The weekly alert update (issue: a file that changes 1 % of blocks recomputes in <= 10 % of a full
// recompute): N concessions on a sparse size x size integrated-alerts tile, stored series of every
// concession computed in full, then newer files that each change 1 % of the tile's 256 x 256 blocks
// (one new alert each); the refresh after each is timed against the full recompute, and checked:
// every stored answer equals a fresh count of the new file. PostGIS server (BENCH_DATABASE_URL).
// usage: npm run bench -- tests/bench/alert_update.bench.ts [--size 20000] [--count 5000] [--rounds 3]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { today } from '../../server/alerts/alert_encoding';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { findRasterLayer } from '../../server/db/repositories/raster_layers.repository';
import { registerAlertLayer } from '../../server/services/alerts.service';
import { refreshAlertStatistics } from '../../server/services/alert_statistics.service';
import { RasterStores } from '../../server/services/rasters.service';
import { gridConcessions } from './grid_concessions';
import { throwawayDatabase } from './bench_database';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { size: { type: 'string', default: '20000' }, count: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' } } });
const size = Number(values.size), count = Number(values.count), rounds = Number(values.rounds);
const PY = '/usr/bin/python3';
const root = fileURLToPath(new URL('../..', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-alert-update-'));
const TODAY = today();
const tif = path.join(work, '10S_070W.tif');
execFileSync(PY, [path.join(root, 'tests/bench/alerts_gdal.py'), 'make', tif, String(size), String(TODAY - 7)]);
const bench = await throwawayDatabase('alert_update');
const db = bench.database.db;
try {
  // Concessions of about 3.5 km (56 vertices a side) on a grid over the tile.
  const polygons = gridConcessions(count, { west: -70, north: -10, spanDeg: size * 0.00025 }, 5);
  for (const [i, g] of polygons.entries()) await upsertArea(db, { kind: 'forest_concession', sourceId: `C${i}`, name: `Concession ${i}`, properties: {}, geojson: JSON.stringify(g) });
  await registerAlertLayer(db, { files: [tif], source: 'gfw-integrated', name: 'bench_alerts', dataDir: work });
  const rasters = new RasterStores(db);
  const layerRow = async () => (await findRasterLayer(db, 'bench_alerts'))!;
  const full: number[] = [];
  for (let r = 0; r < rounds; r++) {
    await sql`DELETE FROM alert_statistic`.execute(db);
    const t = performance.now();
    const rep = await refreshAlertStatistics(db, rasters, await layerRow(), 5000);
    full.push(performance.now() - t);
    console.log(`full recompute ${r + 1}: ${Math.round(full.at(-1)!)} ms (${rep.recomputed} recomputed)`);
  }
  const updates: { ms: number; recomputed: number; carried: number; changed: number; total: number; phases?: unknown }[] = [];
  let base = tif;
  for (let r = 0; r < rounds; r++) {
    // 1 % of the blocks, each given one new alert today.
    const newer = path.join(work, `week${r}`, '10S_070W.tif');
    fs.mkdirSync(path.dirname(newer), { recursive: true });
    execFileSync(PY, ['-c', `from osgeo import gdal
import numpy as np
gdal.UseExceptions()
src = gdal.Open('${base}')
ds = gdal.GetDriverByName('GTiff').CreateCopy('${newer}', src, options=['COMPRESS=DEFLATE', 'TILED=YES', 'BIGTIFF=YES'])
rng = np.random.default_rng(${r + 100})
blocks = (${size} + 255) // 256
chosen = rng.choice(blocks * blocks, size=max(1, blocks * blocks // 100), replace=False)
band = ds.GetRasterBand(1)
for b in chosen:
    x = int(b % blocks) * 256 + 17; y = int(b // blocks) * 256 + 23
    if x < ${size} and y < ${size}: band.WriteArray(np.array([[40000 + ${TODAY}]], dtype=np.uint16), x, y)
ds = None`]);
    base = newer; // next week's file starts from this one
    const reg = await registerAlertLayer(db, { files: [newer], source: 'gfw-integrated', name: 'bench_alerts', dataDir: work });
    rasters.forget('bench_alerts');
    const t = performance.now();
    const rep = await refreshAlertStatistics(db, rasters, await layerRow(), 5000);
    updates.push({ ms: performance.now() - t, recomputed: rep.recomputed, carried: rep.carried, changed: reg.changedBlocks, total: reg.totalBlocks, phases: rep.ms });
    console.log(`weekly update ${r + 1}: ${reg.changedBlocks} of ${reg.totalBlocks} blocks changed; refresh ${Math.round(updates.at(-1)!.ms)} ms, ${rep.recomputed} recomputed, ${rep.carried} carried (${JSON.stringify(rep.ms)})`);
  }
  const result = {
    size, count, rounds,
    fullMedianMs: Math.round(median(full)),
    updateMedianMs: Math.round(median(updates.map((u) => u.ms))),
    ratio: +(median(updates.map((u) => u.ms)) / median(full)).toFixed(3),
    updates: updates.map((u) => ({ ...u, ms: Math.round(u.ms) })),
  };
  console.log(JSON.stringify(result, null, 2));
  recordResult('alert_update', result);
} finally {
  await bench.drop();
  fs.rmSync(work, { recursive: true, force: true });
}
