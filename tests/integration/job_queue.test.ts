// Jobs on the PostgreSQL queue (ATALAYA_JOB_QUEUE=postgres), on the PostGIS server only: two
// `npm run worker` processes share one statistics batch split into parts; one is SIGKILLed while it
// holds a part, which the other takes over once the part's timeout passes. The batch finishes with
// every area's series stored once and equal to a direct computation; the job's progress is the sum
// of its parts'.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { openDatabase, type DatabaseHandle } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { createLogger } from '../../server/log';
import { createAnalysisContext, STATISTICS_JOB, type AnalysisContext } from '../../server/services/analysis_context';
import { registerRasterLayer } from '../../server/services/raster_layers.service';
import { resolveLayers } from '../../server/services/loss_layers';
import { refreshSubjects } from '../../server/services/loss_statistics.service';
import { createServerDatabase, testDatabaseKind } from '../helpers/test_database';

const P = 1 / 1200;
const grid = { west: -71, north: -11, pixelSize: P, width: 1800, height: 1500 };
const AREAS = 400;
const square = (w: number, s: number, size: number) => ({ type: 'Polygon', coordinates: [[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]] });
const root = path.resolve(import.meta.dirname, '../..');

describe.skipIf(testDatabaseKind() !== 'server')('jobs on the PostgreSQL queue with two worker processes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-queue-'));
  let url: string;
  let database: DatabaseHandle;
  let web: AnalysisContext;
  const workers: ChildProcess[] = [];
  const env = () => ({ ...process.env, DATABASE_URL: url, ATALAYA_JOB_QUEUE: 'postgres', ATALAYA_PART_TIMEOUT_S: '5', ATALAYA_DATA_DIR: dir, LOG_LEVEL: 'warn' });
  const startWorker = () => {
    // One process (node with tsx's loader, not the tsx CLI, which would run the worker in a child): its pid is the one in job_part.worker.
    const w = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { cwd: root, env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    w.stderr!.on('data', (d: Buffer) => process.stderr.write(`[worker ${w.pid}] ${d.toString()}`));
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    const target = inject('testDatabase')!;
    url = await createServerDatabase(target.adminUrl, `${target.prefix}_queue`);
    database = await openDatabase({ databaseUrl: url, dataDir: '', databasePoolSize: 4 }, { purpose: 'tests' });
    await migrateToLatest(database.db);
    const loss = new Uint8Array(grid.width * grid.height);
    const cover = new Uint8Array(grid.width * grid.height);
    for (let y = 0; y < grid.height; y++) {
      for (let x = 0; x < grid.width; x++) {
        const h = Math.imul((x * 2654435761) ^ (y * 40503), 2246822519) >>> 0;
        loss[y * grid.width + x] = h % 7 === 0 ? 1 + ((h >>> 9) % 23) : 0;
        cover[y * grid.width + x] = (h >>> 3) % 100;
      }
    }
    fs.writeFileSync(path.join(dir, 'loss.tif'), await encodeUint8GeoTiff(grid, loss, 'loss'));
    fs.writeFileSync(path.join(dir, 'cover.tif'), await encodeUint8GeoTiff(grid, cover, 'cover'));
    await registerRasterLayer(database.db, { files: [path.join(dir, 'cover.tif')], kind: 'treecover', name: 'cover', dataDir: dir });
    await registerRasterLayer(database.db, { files: [path.join(dir, 'loss.tif')], kind: 'lossyear', name: 'loss', version: 'q-1', treecover: 'cover', dataDir: dir });
    // Large overlapping concessions, so a part (50 of them) takes long enough to be caught mid-way.
    for (let i = 0; i < AREAS; i++) {
      await upsertArea(database.db, { kind: 'forest_concession', sourceId: `q${i}`, name: `Q${i}`, properties: {}, geojson: JSON.stringify(square(-70.95 + (i % 20) * 0.045, -12.2 + Math.floor(i / 20) * 0.045, 0.4)) });
    }
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: url, ATALAYA_JOB_QUEUE: 'postgres' });
    // The web side: enqueues only.
    web = createAnalysisContext(database.db, createLogger(config), { queue: { connectionString: url, work: false, partTimeoutS: 5, jobTimeoutS: 600 } });
    await web.jobs.start();
  }, 180_000);
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await web?.close();
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shares a batch between two workers, and finishes it whole when one is killed mid-part', async () => {
    const a = startWorker();
    const b = startWorker();
    const job = await web.jobs.enqueue(STATISTICS_JOB, { areas: true, kind: 'forest_concession' });
    // Wait until worker A holds a part, then kill it without warning.
    let killedPart: number | undefined;
    for (let i = 0; i < 1200 && killedPart === undefined; i++) {
      const { rows } = await sql<{ id: number }>`SELECT id FROM job_part WHERE job_id = ${job.id} AND status = 'running' AND worker LIKE ${`%:${a.pid}`} LIMIT 1`.execute(database.db);
      if (rows[0]) killedPart = rows[0].id;
      else await new Promise((r) => setTimeout(r, 25));
    }
    expect(killedPart, 'worker A never held a part').toBeDefined();
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));

    let state = await web.jobs.get(job.id);
    for (let i = 0; i < 1200 && (state.status === 'queued' || state.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await web.jobs.get(job.id);
    }
    expect(state.status, state.message ?? '').toBe('done');
    expect(state.done).toBe(state.total);
    expect(state.total).toBe(AREAS);
    const parts = await database.db.selectFrom('job_part').select(['id', 'status', 'attempts', 'worker', 'done', 'total']).where('job_id', '=', job.id).execute();
    expect(parts.length).toBe(AREAS / 50);
    expect(parts.every((p) => p.status === 'done' && p.done === p.total)).toBe(true);
    // The killed part was run again, by the other worker.
    const retried = parts.find((p) => p.id === killedPart)!;
    expect(retried.attempts).toBeGreaterThanOrEqual(2);
    expect(retried.worker).toMatch(new RegExp(`:${b.pid}$`));
    // Every area has one series (the key is unique: none twice), and it equals a direct computation.
    const stats = await sql<{ subject_id: number; n: number }>`SELECT subject_id, count(*)::int AS n FROM loss_statistic WHERE subject = 'area' AND buffer_m = 0 GROUP BY subject_id`.execute(database.db);
    expect(stats.rows.length).toBe(AREAS);
    expect(stats.rows.every((r) => r.n === 1)).toBe(true);
    // Figures equal a fresh computation in this process (the stored ones deleted first).
    const sample = (await sql<{ subject_id: number; years: unknown }>`SELECT subject_id, years FROM loss_statistic WHERE subject = 'area' ORDER BY subject_id LIMIT 5`.execute(database.db)).rows;
    await sql`DELETE FROM loss_statistic WHERE subject = 'area' AND subject_id = ANY(${sample.map((r) => r.subject_id)}::int[])`.execute(database.db);
    const local = createAnalysisContext(database.db, createLogger(loadConfig({ LOG_LEVEL: 'silent' })));
    try {
      const r = await refreshSubjects(database.db, local.rasters, local.pool, { subject: 'area', ids: sample.map((x) => x.subject_id) }, await resolveLayers(database.db, {}), 0);
      expect(r.computed).toBe(5);
    } finally {
      await local.close();
    }
    const again = (await sql<{ subject_id: number; years: unknown }>`SELECT subject_id, years FROM loss_statistic WHERE subject = 'area' ORDER BY subject_id LIMIT 5`.execute(database.db)).rows;
    expect(again).toEqual(sample);
  }, 240_000);
});
