// Statistics for 20,000 concessions on the PostgreSQL job queue (ATALAYA_JOB_QUEUE=postgres) with
// one and with two `npm run worker` processes, each on one analysis thread, on a throwaway PostGIS
// database: seconds from enqueue to the job's end, medians over several runs, and the ratio (the
// issue's target: >= 1.8x on two cores; the database shares those cores).
// usage: npm run bench -- tests/bench/queue_workers.bench.ts [--count 20000] [--runs 3]
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { createLogger } from '../../server/log';
import { loadConfig } from '../../server/config';
import { createAnalysisContext, STATISTICS_JOB } from '../../server/services/analysis_context';
import { registerRasterLayer } from '../../server/services/raster_layers.service';
import { throwawayDatabase } from './bench_database';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { count: { type: 'string', default: '20000' }, runs: { type: 'string', default: '3' } } });
const count = Number(values.count);
const runs = Number(values.runs);
const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-queue-'));
const bench = await throwawayDatabase('queue');
const { database, url } = bench;
const workers: ChildProcess[] = [];

// 200 concessions a row, 0.04° apart, each a 0.032° square (about 3.5 km): a 3 arc-second raster under them.
const COLS = 200;
const ROWS = Math.ceil(count / COLS);
const P = 1 / 1200;
const grid = { west: -76, north: -4, pixelSize: P, width: Math.ceil((COLS * 0.04) / P), height: Math.ceil((ROWS * 0.04) / P) };

async function startWorker(): Promise<ChildProcess> {
  const w = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, ATALAYA_JOB_QUEUE: 'postgres', ATALAYA_ANALYSIS_THREADS: '1', ATALAYA_DATA_DIR: dir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.push(w);
  await new Promise<void>((resolve, reject) => {
    w.stdout!.on('data', (d: Buffer) => d.toString().includes('worker taking jobs') && resolve());
    w.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
  });
  return w;
}

try {
  const t0 = performance.now();
  const loss = new Uint8Array(grid.width * grid.height);
  const cover = new Uint8Array(grid.width * grid.height);
  for (let i = 0; i < loss.length; i++) {
    const h = Math.imul(i ^ 0x9e3779b9, 2246822519) >>> 0;
    loss[i] = h % 9 === 0 ? 1 + ((h >>> 8) % 23) : 0;
    cover[i] = 40 + ((h >>> 4) % 60);
  }
  fs.writeFileSync(path.join(dir, 'loss.tif'), await encodeUint8GeoTiff(grid, loss, 'loss'));
  fs.writeFileSync(path.join(dir, 'cover.tif'), await encodeUint8GeoTiff(grid, cover, 'cover'));
  await registerRasterLayer(database.db, { files: [path.join(dir, 'cover.tif')], kind: 'treecover', name: 'cover', dataDir: dir });
  await registerRasterLayer(database.db, { files: [path.join(dir, 'loss.tif')], kind: 'lossyear', name: 'loss', version: 'bench', treecover: 'cover', dataDir: dir });
  await sql`INSERT INTO area (kind, source_id, name, properties, geom, area_ha)
    SELECT 'forest_concession', 'c' || i, 'Concession ' || i, '{}'::jsonb,
      ST_Multi(ST_MakeEnvelope(-76 + (i % ${COLS}) * 0.04 + 0.004, -4 - (i / ${COLS}) * 0.04 - 0.036, -76 + (i % ${COLS}) * 0.04 + 0.036, -4 - (i / ${COLS}) * 0.04 - 0.004, 4326)), 1500
    FROM generate_series(0, ${count - 1}) AS i`.execute(database.db);
  console.log(`set up: ${grid.width} x ${grid.height} raster, ${count} concessions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const web = createAnalysisContext(database.db, createLogger(loadConfig({ LOG_LEVEL: 'silent' })), { queue: { connectionString: url, work: false, partTimeoutS: 600, jobTimeoutS: 3600 } });
  await web.jobs.start();
  const timings: Record<number, number[]> = { 1: [], 2: [] };
  for (let r = 0; r < runs; r++) {
    for (const n of [1, 2]) {
      await sql`DELETE FROM loss_statistic`.execute(database.db);
      const started = await Promise.all(Array.from({ length: n }, () => startWorker()));
      const t = performance.now();
      const job = await web.jobs.enqueue(STATISTICS_JOB, { areas: true, kind: 'forest_concession' });
      let state = await web.jobs.get(job.id);
      while (state.status === 'queued' || state.status === 'running') {
        await new Promise((res) => setTimeout(res, 100));
        state = await web.jobs.get(job.id);
      }
      const s = (performance.now() - t) / 1000;
      if (state.status !== 'done') throw new Error(`job ${job.id} ${state.status}: ${state.message}`);
      const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM loss_statistic`.execute(database.db);
      if (stored.rows[0]!.n !== count) throw new Error(`${stored.rows[0]!.n} series stored, ${count} expected`);
      timings[n]!.push(s);
      console.log(`run ${r + 1}: ${n} worker${n > 1 ? 's' : ''}: ${s.toFixed(1)} s (${(count / s).toFixed(0)} concessions/s)`);
      for (const w of started) w.kill('SIGTERM');
      await Promise.all(started.map((w) => new Promise((res) => (w.exitCode !== null ? res(null) : w.once('exit', res)))));
    }
  }
  await web.close();
  const one = median(timings[1]!);
  const two = median(timings[2]!);
  const result = { concessions: count, raster: `${grid.width}x${grid.height}`, runs, cores: os.availableParallelism(), oneWorkerS: one, twoWorkersS: two, speedup: one / two, target: 1.8 };
  console.log(result);
  recordResult('queue_workers', result);
} finally {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await bench.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
