// A Peru-sized run, end to end, on a throwaway PostGIS database: five 40,000 x 40,000 Hansen-layout
// lossyear tiles and their tree cover (00N/10S/20S x 080W/070W, one mosaic layer each), 20,000
// concessions, 300 protected areas and 5,000 sites (BENCH.md's vectors), then ingest, the forest
// layer, links, and the statistics of every area, site and activity with one and with two
// `npm run worker` processes. Time and peak memory per stage. The tiles are the demo raster
// upsampled by GDAL (it compresses better than real Hansen tiles; BENCH.md says so of the ingest
// bench too), placed where Peru's tiles are.
// usage: npm run bench -- tests/bench/peru_run.bench.ts [--size 40000] [--tiles 5] [--workers 1,2]
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { generateDemoData } from '../../server/demo/generate';
import { createLogger } from '../../server/log';
import { loadConfig } from '../../server/config';
import { findRasterLayer } from '../../server/db/repositories/raster_layers.repository';
import { createAnalysisContext, STATISTICS_JOB } from '../../server/services/analysis_context';
import { seedBenchVectors } from './bench_vectors';
import { throwawayDatabase } from './bench_database';
import { recordResult } from './report';

const { values } = parseArgs({ options: { size: { type: 'string', default: '40000' }, tiles: { type: 'string', default: '5' }, workers: { type: 'string', default: '1,2' } } });
const size = Number(values.size);
const workerCounts = values.workers.split(',').map(Number);
const root = path.resolve(import.meta.dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-peru-'));
const dataDir = path.join(work, 'var');
// Peru's Hansen tiles (top-left corners), 10 degrees each.
const TILES = [[-80, 0], [-70, 0], [-80, -10], [-70, -10], [-80, -20]].slice(0, Number(values.tiles)) as [number, number][];
const bench = await throwawayDatabase('peru');
const { database, url } = bench;
const stages: { stage: string; seconds: number; peakRssMb: number | null; note?: string }[] = [];
const env = { ...process.env, DATABASE_URL: url, ATALAYA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
const started: ChildProcess[] = [];

/** Runs a command under /usr/bin/time -v: seconds and the peak resident memory of the process. */
function timed(stage: string, cmd: string, args: string[], note?: string) {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { env, cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${stage} failed: ${r.stderr.slice(-3000)}`);
  const s = { stage, seconds: (performance.now() - t) / 1000, peakRssMb: Math.round(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]) / 1024), ...(note ? { note } : {}) };
  stages.push(s);
  console.log(s);
}

async function startWorker(): Promise<ChildProcess> {
  const w = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { cwd: root, env: { ...env, ATALAYA_JOB_QUEUE: 'postgres', ATALAYA_ANALYSIS_THREADS: '1', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(w);
  await new Promise<void>((resolve, reject) => {
    w.stdout!.on('data', (d: Buffer) => d.toString().includes('worker taking jobs') && resolve());
    w.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
  });
  return w;
}

/** Peak resident memory of a running process so far (Linux: VmHWM). */
const peakRssMb = (pid: number) => Math.round(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024);

try {
  // Sources: the demo rasters upsampled once per kind, copied to each tile's place.
  const demo = path.join(work, 'demo');
  const manifest = await generateDemoData({ outDir: demo });
  const files: Record<'lossyear' | 'treecover', string[]> = { lossyear: [], treecover: [] };
  for (const kind of ['lossyear', 'treecover'] as const) {
    const first = path.join(work, `${kind}_0.tif`);
    execFileSync('gdal_translate', ['-q', '-srcwin', '0', '0', '4000', '4000', '-outsize', String(size), String(size), '-r', 'nearest', '-co', 'COMPRESS=LZW', '-co', 'BLOCKYSIZE=1', '-co', 'BIGTIFF=IF_SAFER', path.join(demo, manifest.files[kind]), first]);
    for (const [i, [west, north]] of TILES.entries()) {
      const f = path.join(work, `${kind}_${i}.tif`);
      if (i > 0) fs.copyFileSync(first, f);
      execFileSync('gdal_edit.py', ['-a_srs', 'EPSG:4326', '-a_ullr', String(west), String(north), String(west + 10), String(north - 10), f]);
      files[kind].push(f);
    }
  }
  console.log(`sources: ${TILES.length} tiles of ${size} x ${size} per kind, ${(fs.statSync(files.lossyear[0]!).size / 1e6).toFixed(0)} MB (lossyear) and ${(fs.statSync(files.treecover[0]!).size / 1e6).toFixed(0)} MB (tree cover) each`);

  const add = path.join(root, 'scripts/raster_add.ts');
  timed('ingest tree cover (5 tiles, one mosaic layer)', process.execPath, ['--import', 'tsx', add, ...files.treecover, '--kind', 'treecover', '--name', 'cover']);
  timed('ingest lossyear (5 tiles, one mosaic layer)', process.execPath, ['--import', 'tsx', add, ...files.lossyear, '--kind', 'lossyear', '--name', 'loss', '--treecover', 'cover']);

  // The forest layer (loss where cover >= 30 %), which every statistics worker then reads.
  const forestScript = path.join(work, 'forest.ts');
  fs.writeFileSync(forestScript, `import { BlockStore } from ${JSON.stringify(path.join(root, 'server/raster/block_store.ts'))};
import { forestLayer } from ${JSON.stringify(path.join(root, 'server/analysis/zonal/forest_layer.ts'))};
forestLayer(new BlockStore(${JSON.stringify(path.join(dataDir, 'rasters', 'loss'))}), new BlockStore(${JSON.stringify(path.join(dataDir, 'rasters', 'cover'))}), 30);\n`);
  timed('forest layer (tree cover >= 30 %)', process.execPath, ['--import', 'tsx', forestScript]);

  let t = performance.now();
  await seedBenchVectors(database.db, { concessions: 20_000, protected: 300, sites: 5_000 });
  await sql`ANALYZE`.execute(database.db);
  stages.push({ stage: 'load 20,000 concessions, 300 protected areas, 5,000 sites (SQL)', seconds: (performance.now() - t) / 1000, peakRssMb: null });
  t = performance.now();
  await sql`SELECT atalaya_link_insert(NULL, NULL)`.execute(database.db);
  const pairs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM link`.execute(database.db);
  stages.push({ stage: 'links of every site (in PostGIS)', seconds: (performance.now() - t) / 1000, peakRssMb: null, note: `${pairs.rows[0]!.n} site-area pairs` });
  console.log(stages.at(-2), stages.at(-1));

  const loss = (await findRasterLayer(database.db, 'loss'))!;
  const web = createAnalysisContext(database.db, createLogger(loadConfig({ LOG_LEVEL: 'silent' })), { queue: { connectionString: url, work: false, partTimeoutS: 1800, jobTimeoutS: 6 * 3600 } });
  await web.jobs.start();
  for (const n of workerCounts) {
    await sql`DELETE FROM loss_statistic`.execute(database.db);
    const workers = await Promise.all(Array.from({ length: n }, () => startWorker()));
    t = performance.now();
    const job = await web.jobs.enqueue(STATISTICS_JOB, { layer: loss.id, areas: true, sites: true, activities: true, buffer_m: 1000 });
    let state = await web.jobs.get(job.id);
    while (state.status === 'queued' || state.status === 'running') {
      await new Promise((res) => setTimeout(res, 250));
      state = await web.jobs.get(job.id);
    }
    if (state.status !== 'done') throw new Error(`job ${job.id} ${state.status}: ${state.message}`);
    const seconds = (performance.now() - t) / 1000;
    const rss = workers.map((w) => peakRssMb(w.pid!));
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM loss_statistic`.execute(database.db);
    stages.push({ stage: `statistics of every area, site and activity, ${n} worker${n > 1 ? 's' : ''}`, seconds, peakRssMb: Math.max(...rss), note: `${stored.rows[0]!.n} series; peak per worker ${rss.join(', ')} MB` });
    console.log(stages.at(-1));
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((res) => (w.exitCode !== null ? res(null) : w.once('exit', res)))));
  }
  await web.close();
  const db = await sql<{ size: string }>`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`.execute(database.db);
  const store = spawnSync('du', ['-sh', path.join(dataDir, 'rasters')], { encoding: 'utf8' }).stdout.split('\t')[0];
  const result = { tiles: TILES.length, tileSize: size, cores: os.availableParallelism(), databaseSize: db.rows[0]!.size, rasterStoreSize: store, stages };
  console.table(stages.map((s) => ({ stage: s.stage, seconds: s.seconds.toFixed(1), 'peak RSS MB': s.peakRssMb ?? '', note: s.note ?? '' })));
  console.log({ databaseSize: result.databaseSize, rasterStoreSize: result.rasterStoreSize });
  recordResult('peru_run', result);
} finally {
  for (const w of started) if (w.exitCode === null) w.kill('SIGKILL');
  await bench.drop();
  fs.rmSync(work, { recursive: true, force: true });
}
