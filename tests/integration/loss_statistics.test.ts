// Loss statistics end to end: the HTTP contract of POST /api/analysis/loss, stored statistics for
// areas, site and activity buffers through the job runner and its worker threads, incremental
// recomputation, and hectares against PostGIS's own geodesic area.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quadrangleAreaM2 } from '../../server/analysis/zonal/pixel_area';
import { zonalLossOfGeometry } from '../../server/analysis/zonal/zonal_loss';
import type { DatabaseHandle } from '../../server/db/database';
import { upsertActivity } from '../../server/db/repositories/activities.repository';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { insertSite } from '../../server/db/repositories/sites.repository';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { BlockStore } from '../../server/raster/block_store';
import { createAnalysisContext } from '../../server/services/analysis_context';
import { resolveLayers } from '../../server/services/loss_layers';
import { refreshSubjects } from '../../server/services/loss_statistics.service';
import { registerRasterLayer } from '../../server/services/raster_layers.service';
import { createLogger } from '../../server/log';
import { loadConfig } from '../../server/config';
import { createTestUser } from '../helpers/accounts';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const P = 1 / 1200; // 3 arc-seconds: a small raster that still has many pixels per polygon
const grid = { west: -71, north: -11, pixelSize: P, width: 1800, height: 1500 };
let TOKEN = ''; // an admin's API token, made in beforeAll
const square = (w: number, s: number, size: number) => ({ type: 'Polygon', coordinates: [[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]] });

describe(`loss statistics on the ${testDatabaseKind()} database`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-stats-'));
  let database: DatabaseHandle;
  let app: TestApp;
  let activityId: number;
  const post = async (body: unknown, query = '') => {
    const res = await fetch(`${app.baseUrl}/api/analysis/loss${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined, headers: res.headers };
  };

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    const loss = new Uint8Array(grid.width * grid.height);
    const cover = new Uint8Array(grid.width * grid.height);
    for (let y = 0; y < grid.height; y++) {
      for (let x = 0; x < grid.width; x++) {
        const h = Math.imul(x * 2654435761 ^ y * 40503, 2246822519) >>> 0;
        loss[y * grid.width + x] = h % 7 === 0 ? 1 + (h >>> 9) % 23 : 0;
        cover[y * grid.width + x] = x < 900 ? 90 : (h >>> 3) % 100;
      }
    }
    fs.writeFileSync(path.join(dir, 'loss.tif'), await encodeUint8GeoTiff(grid, loss, 'loss'));
    fs.writeFileSync(path.join(dir, 'cover.tif'), await encodeUint8GeoTiff(grid, cover, 'cover'));
    await registerRasterLayer(database.db, { files: [path.join(dir, 'cover.tif')], kind: 'treecover', name: 'cover', dataDir: dir });
    await registerRasterLayer(database.db, { files: [path.join(dir, 'loss.tif')], kind: 'lossyear', name: 'loss', version: 'test-1', treecover: 'cover', dataDir: dir });
    // 40 concessions on a grid (enough for several worker chunks), a protected area, two sites.
    for (let i = 0; i < 40; i++) {
      await upsertArea(database.db, { kind: 'forest_concession', sourceId: `c${i}`, name: `C${i}`, properties: {}, geojson: JSON.stringify(square(-70.95 + (i % 8) * 0.18, -12.2 + Math.floor(i / 8) * 0.2, 0.15)) });
    }
    await upsertArea(database.db, { kind: 'protected_area', sourceId: 'pa', name: 'PA', properties: {}, geojson: JSON.stringify(square(-70.5, -12.0, 0.6)) });
    activityId = await database.db.transaction().execute((trx) =>
      upsertActivity(trx, { code: 'T-1', title: 'Test', summary: 't', priorityArea: 'B', actionAreas: ['B2'], goals: ['B'], leadAgency: 'SERFOR', implementingPartners: ['P'], fundingStatus: 'funded', startDate: '2012-01-01', endDate: null, status: 'ongoing', published: true, properties: {} }),
    );
    await insertSite(database.db, { activityId, name: 'point', kind: 'point', properties: {}, geojson: JSON.stringify({ type: 'Point', coordinates: [-70.3, -11.6] }) });
    await insertSite(database.db, { activityId, name: 'line', kind: 'line', properties: {}, geojson: JSON.stringify({ type: 'LineString', coordinates: [[-70.2, -11.5], [-70.0, -11.45]] }) });
    TOKEN = (await createTestUser(database, 'admin')).token;
    app = await startTestApp(database, { ATALAYA_DATA_DIR: dir });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers POST /api/analysis/loss in the documented shape, equal to the library', async () => {
    const geometry = { type: 'Polygon', coordinates: [[[-70.9, -12.1], [-70.2, -12.05], [-70.3, -11.3], [-70.85, -11.4], [-70.9, -12.1]]] };
    const r = await post({ geometry, layer: 'loss', treecover: 'cover', threshold: 30 });
    expect(r.status).toBe(200);
    const store = new BlockStore(path.join(dir, 'rasters', 'loss'));
    const coverStore = new BlockStore(path.join(dir, 'rasters', 'cover'));
    const z = zonalLossOfGeometry(geometry, { loss: store, treecover: coverStore, threshold: 30 });
    expect(r.body.years).toHaveLength(23);
    expect(r.body.years[0]).toEqual({ year: 2001, loss_ha: expect.any(Number), loss_px: z.lossPixels[1] });
    expect(r.body.years.map((y: { loss_px: number }) => y.loss_px)).toEqual(z.lossPixels.slice(1, 24));
    expect(r.body.forest2000_ha).toBeCloseTo(z.forest2000Ha, 3);
    expect(r.body.covered_fraction).toBe(1);
    expect(r.body.provenance).toMatchObject({ layer: { name: 'loss', version: 'test-1' }, treecover: { name: 'cover' }, threshold: 30, rule: expect.stringContaining('pixel-centre') });
    expect(r.body.provenance.methodology_notes[0].year).toBe(2011);
    // Without a tree cover layer every pixel is forest: forest2000 is the area.
    const all = await post({ geometry, layer: 'loss' });
    expect(all.body.forest2000_ha).toBeCloseTo(all.body.area_ha, 6);
    expect(all.body.provenance.treecover).toBeNull();
    const csv = await post({ geometry, layer: 'loss' }, '?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toContain('year,loss_ha,loss_px,forest2000_ha');
    expect(csv.text.trim().split('\n')).toHaveLength(24);
    store.close();
    coverStore.close();
  });

  it('buffers points and lines geodesically and refuses what it cannot analyse, saying why', async () => {
    const point = await post({ geometry: { type: 'Point', coordinates: [-70.3, -11.6] }, layer: 'loss', buffer_m: 1000 });
    expect(point.status).toBe(200);
    expect(point.body.area_ha).toBeGreaterThan(310); // pi km2 = 314 ha, in pixels of about 2.5 ha
    expect(point.body.area_ha).toBeLessThan(320);
    const line = await post({ geometry: { type: 'LineString', coordinates: [[-70.2, -11.5], [-70.0, -11.45]] }, buffer_m: 500 });
    expect(line.status).toBe(200);
    const cases: [unknown, number, RegExp][] = [
      [{ geometry: { type: 'Point', coordinates: [-70.3, -11.6] } }, 400, /buffer_m/],
      [{ geometry: { type: 'Polygon', coordinates: [[[0, 0], [1]]] } }, 400, /GeoJSON|geometry/],
      [{ geometry: { type: 'Nonsense', coordinates: [] } }, 400, /geometry/],
      [{ geometry: square(-70.5, -12, 0.1), layer: 'nope' }, 404, /No raster layer "nope"/],
      [{ geometry: square(-70.5, -12, 0.1), layer: 'cover' }, 400, /lossyear/],
      [{ geometry: square(-70.5, -12, 0.1), threshold: 130 }, 400, /threshold/],
      [{ geometry: square(-70.5, -12, 0.1), buffer_m: -5 }, 400, /buffer_m/],
      [{ geometry: square(-70.5, -12, 0.1), extra: 1 }, 400, /extra/],
    ];
    for (const [body, status, message] of cases) {
      const r = await post(body);
      expect({ body, status: r.status }).toEqual({ body, status });
      expect(r.body.error.message).toMatch(message);
    }
  });

  it('reports the covered fraction of a polygon half off the raster, and zeros for one far away', async () => {
    const half = await post({ geometry: square(-71.1, -12.0, 0.2), layer: 'loss' });
    expect(half.body.covered_fraction).toBeGreaterThan(0.45);
    expect(half.body.covered_fraction).toBeLessThan(0.55);
    const away = await post({ geometry: square(-60, -5, 0.1), layer: 'loss' });
    expect(away.body).toMatchObject({ covered_fraction: 0, total_loss_ha: 0, forest2000_ha: 0 });
  });

  it('fills the statistics table as a background job with progress, on worker threads, then answers from it', async () => {
    const res = await fetch(`${app.baseUrl}/api/statistics/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ sites: true, activities: true, buffer_m: 2000 }) });
    expect(res.status).toBe(202);
    const job = await res.json();
    let state;
    for (let i = 0; i < 600; i++) {
      state = (await app.get(`/api/jobs/${job.id}`)).body;
      if (state.status === 'done' || state.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state.status, state.message).toBe('done');
    expect(state.message).toMatch(/areas 41 computed; site buffers \(2000 m\) 2 computed; activity buffers \(2000 m\) 1 computed/);
    expect([state.done, state.total]).toEqual([44, 44]); // the sum of its parts: 41 areas, 2 sites, 1 activity
    const list = await app.get('/api/statistics?kind=forest_concession');
    expect(list.body.count).toBe(40);
    // The stored figures equal a fresh computation in this thread.
    const one = list.body.items[7];
    const geom = await database.db.selectFrom('area').select(sql<string>`ST_AsGeoJSON(geom, 15)`.as('g')).where('id', '=', one.id).executeTakeFirstOrThrow();
    const direct = await post({ geometry: JSON.parse(geom.g), layer: 'loss', treecover: 'cover' });
    expect(one.years).toEqual(direct.body.years);
    const site = await app.get(`/api/sites/${(await database.db.selectFrom('site').select('id').where('name', '=', 'point').executeTakeFirstOrThrow()).id}/loss?buffer_m=2000`);
    expect(site.status).toBe(200);
    expect(site.body.provenance.buffer_m).toBe(2000);
    const activity = await app.get(`/api/activities/${activityId}/loss?buffer_m=2000`);
    expect(activity.body.area_ha).toBeGreaterThan(site.body.area_ha); // the union of both sites' buffers
    const csv = await app.get('/api/statistics?kind=forest_concession&format=csv');
    expect(String(csv.body).trim().split('\n')).toHaveLength(1 + 40 * 23);
    const refused = await fetch(`${app.baseUrl}/api/statistics/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
  });

  it('recomputes only what changed: a moved area, then everything after the raster is re-ingested', async () => {
    const ctx = createAnalysisContext(database.db, createLogger(loadConfig({ LOG_LEVEL: 'silent' })));
    try {
      const layers = await resolveLayers(database.db, {});
      const filter = { subject: 'area' as const };
      expect((await refreshSubjects(database.db, ctx.rasters, ctx.pool, filter, layers, 0)).computed).toBe(0);
      const moved = await database.db.selectFrom('area').select('id').where('source_id', '=', 'c3').executeTakeFirstOrThrow();
      const before = await app.get(`/api/areas/${moved.id}/loss`);
      await sql`UPDATE area SET geom = ST_Translate(geom, 0.01, 0.01) WHERE id = ${moved.id}`.execute(database.db);
      expect((await refreshSubjects(database.db, ctx.rasters, ctx.pool, filter, layers, 0)).computed).toBe(1);
      const after = await app.get(`/api/areas/${moved.id}/loss`);
      expect(after.body.years).not.toEqual(before.body.years);
      await registerRasterLayer(database.db, { files: [path.join(dir, 'loss.tif')], kind: 'lossyear', name: 'loss', version: 'test-2', treecover: 'cover', dataDir: dir });
      const relayers = await resolveLayers(database.db, {});
      expect(relayers.stamp).not.toBe(layers.stamp);
      expect((await refreshSubjects(database.db, ctx.rasters, ctx.pool, filter, relayers, 0)).computed).toBe(41);
    } finally {
      await ctx.close();
    }
  });

  it('resumes a job that a killed process left running, and marks a job with bad parameters failed', async () => {
    await sql`DELETE FROM loss_statistic WHERE subject = 'area'`.execute(database.db);
    const left = await database.db.insertInto('job').values({ kind: 'loss-statistics', params: JSON.stringify({ areas: true, kind: 'forest_concession' }), status: 'running', started_at: new Date(), done: 5, total: 40 }).returning('id').executeTakeFirstOrThrow();
    const bad = await database.db.insertInto('job').values({ kind: 'loss-statistics', params: JSON.stringify({ layer: 'no_such_layer' }) }).returning('id').executeTakeFirstOrThrow();
    const ctx = createAnalysisContext(database.db, createLogger(loadConfig({ LOG_LEVEL: 'silent' })));
    try {
      await ctx.jobs.start();
      await ctx.jobs.idle();
      const resumed = await ctx.jobs.get(left.id);
      expect(resumed.status).toBe('done');
      expect(resumed.message).toMatch(/areas \(forest_concession\) 40 computed/);
      const failed = await ctx.jobs.get(bad.id);
      expect(failed.status).toBe('failed');
      expect(failed.message).toMatch(/No raster layer "no_such_layer"/);
    } finally {
      await ctx.close();
    }
  });

  it('gives pixel areas equal to PostGIS ST_Area(geography) of the same pixels', async () => {
    for (const lat of [0, -5.5, -12.25, -18.4, 45, 70]) {
      const { rows } = await sql<{ m2: number }>`SELECT ST_Area(ST_MakeEnvelope(-70, ${lat - P}, ${-70 + P}, ${lat}, 4326)::geography) AS m2`.execute(database.db);
      const ours = quadrangleAreaM2(lat - P, lat, P);
      expect(Math.abs(ours - rows[0]!.m2) / rows[0]!.m2).toBeLessThan(1e-3);
      // A whole block-sized cell too (256 pixels a side), where errors would add up.
      const big = await sql<{ m2: number }>`SELECT ST_Area(ST_MakeEnvelope(-70, ${lat - 256 * P}, ${-70 + 256 * P}, ${lat}, 4326)::geography) AS m2`.execute(database.db);
      expect(Math.abs(quadrangleAreaM2(lat - 256 * P, lat, 256 * P) - big.rows[0]!.m2) / big.rows[0]!.m2).toBeLessThan(1e-3);
    }
  });
});
