// The probe that took Atalaya down, as tests: star polygons of 10,000, 46,000 and 200,000 vertices
// posted for analysis, alone and several at once, by the public and by an admin. Each gets a clear
// answer (a result, 413 over the size limits, 422 past the time limit) within the limit, health and
// reads keep answering meanwhile, and the PostgreSQL server is never restarted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { registerRasterLayer } from '../../server/services/raster_layers.service';
import { upsertActivity } from '../../server/db/repositories/activities.repository';
import { createTestUser } from '../helpers/accounts';
import { pollLatencies, starPolygon } from '../helpers/star_polygon';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const TIME_LIMIT_MS = 8000;
// Generous against CI noise; the benchmark measures the real figures (README: under 1 s).
const MAX_WAIT_MS = 2500;

describe(`hostile geometry (${testDatabaseKind()} database)`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-star-'));
  let database: DatabaseHandle;
  let app: TestApp;
  let adminToken = '';
  const started = async () => (await sql<{ t: string }>`SELECT pg_postmaster_start_time()::text AS t`.execute(database.db)).rows[0]!.t;

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    const grid = { west: -70.2, north: -12.4, pixelSize: 1 / 400, width: 240, height: 240 };
    const loss = new Uint8Array(grid.width * grid.height).map((_, i) => (i % 7 === 0 ? 1 + (i % 23) : 0));
    fs.writeFileSync(path.join(dir, 'loss.tif'), await encodeUint8GeoTiff(grid, loss, 'loss'));
    await registerRasterLayer(database.db, { files: [path.join(dir, 'loss.tif')], kind: 'lossyear', name: 'loss', version: 'star-1', dataDir: dir });
    adminToken = (await createTestUser(database, 'admin')).token;
    app = await startTestApp(database, { ATALAYA_DATA_DIR: dir, ATALAYA_GEOMETRY_TIME_LIMIT_MS: String(TIME_LIMIT_MS) });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const analyse = async (vertices: number, bufferM: number, admin = false) => {
    const t = performance.now();
    const res = await fetch(`${app.baseUrl}/api/analysis/loss`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(admin ? { authorization: `Bearer ${adminToken}` } : {}) },
      body: JSON.stringify({ geometry: starPolygon(vertices), buffer_m: bufferM }),
    });
    const body = (await res.json()) as { error?: { code: string; message: string }; years?: unknown[] };
    return { vertices, bufferM, admin, status: res.status, ms: performance.now() - t, body };
  };

  it('answers each star alone with a result or a clear refusal, within the time limit', async () => {
    const before = await started();
    // Repaired in about 5 s on an idle core, then counted; on a loaded machine it may reach the limit.
    const small = await analyse(10_000, 0);
    expect([200, 422], JSON.stringify(small.body)).toContain(small.status);
    if (small.status === 200) expect(small.body.years?.length).toBeGreaterThan(0);
    expect(small.ms).toBeLessThan(TIME_LIMIT_MS + 3000);
    const buffered = await analyse(10_000, 5000);
    expect(buffered.status).toBe(422); // its 5 km buffer explodes: stopped at the limit
    expect(buffered.body.error!.message).toMatch(/took longer than 8 s and was stopped.*Simplify/);
    expect(buffered.ms).toBeLessThan(TIME_LIMIT_MS + 3000);
    const publicLarge = await analyse(46_000, 0);
    expect(publicLarge.status).toBe(413); // over the public limit, refused before any geometry work
    expect(publicLarge.body.error!.message).toMatch(/46,001 vertices \(the limit is 20,000\)/);
    expect(publicLarge.ms).toBeLessThan(1000);
    const adminLarge = await analyse(46_000, 0, true);
    expect(adminLarge.status).toBe(422); // within an admin's size limit, but past the time limit
    const huge = await analyse(200_000, 0, true);
    expect(huge.status).toBe(413); // 3.9 MB: over the request body limit
    if (testDatabaseKind() === 'server') expect(await started()).toBe(before); // PostgreSQL was not restarted
  }, 120_000);

  it('keeps health checks and reads answering while several stars are worked on at once', async () => {
    const before = await started();
    const poll = pollLatencies([`${app.baseUrl}/api/health`, `${app.baseUrl}/api/activities?limit=5`, `${app.baseUrl}/api/area-kinds`]);
    const answers = await Promise.all([analyse(10_000, 5000), analyse(46_000, 0, true), analyse(10_000, 0), analyse(46_000, 5000), analyse(10_000, 5000, true)]);
    const latencies = await poll.stop();
    for (const a of answers) expect([200, 413, 422, 503], JSON.stringify({ ...a, body: a.body.error })).toContain(a.status);
    expect(answers.map((a) => a.status)).toContain(422);
    for (const l of latencies) {
      expect(l.statuses, l.url).toEqual([200]);
      expect(l.maxMs, `${l.url} waited ${l.maxMs} ms`).toBeLessThan(MAX_WAIT_MS);
    }
    if (testDatabaseKind() === 'server') expect(await started()).toBe(before);
  }, 180_000);

  it('repairs a large invalid feature of an import on the worker, and stops one past the time limit with a message naming it', async () => {
    const upload = async (vertices: number, geometry: unknown = starPolygon(vertices), name = `star-${vertices}`) => {
      const form = new FormData();
      form.set('target', 'areas');
      form.set('kind', 'protected_area');
      form.set('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name }, geometry }] })]), `${name}.geojson`);
      const res = await fetch(`${app.baseUrl}/api/imports`, { method: 'POST', body: form, headers: { authorization: `Bearer ${adminToken}` } });
      return { status: res.status, body: (await res.json()) as { repaired?: number[]; inserted?: number; error?: { message: string } } };
    };
    const before = await started();
    // A 3,000-vertex circle with two vertices swapped: its edges cross there (invalid), repaired on
    // the worker, and its 5 km ring is quick.
    const circle = Array.from({ length: 3000 }, (_, i) => [-70 + 0.05 * Math.cos((2 * Math.PI * i) / 3000), -12.6 + 0.05 * Math.sin((2 * Math.PI * i) / 3000)]);
    [circle[10], circle[11]] = [circle[11]!, circle[10]!];
    const repaired = await upload(3000, { type: 'Polygon', coordinates: [[...circle, circle[0]]] }, 'crossed-circle');
    expect(repaired.status, JSON.stringify(repaired.body)).toBe(201);
    expect(repaired.body.repaired).toEqual([0]);
    expect(repaired.body.inserted).toBe(1);
    const stopped = await upload(46_000);
    expect(stopped.status).toBe(400);
    expect(stopped.body.error!.message).toMatch(/^Feature 0 of star-46000: Repairing this geometry took longer than 8 s/);
    // Repaired in time, but its 5 km concession ring (which the statistics would compute in PostGIS,
    // beyond any timeout) is not computable in time: refused, nothing stored.
    const unbufferable = await upload(5000); // its rounded spikes cross: repaired in about a second, but its ring explodes
    expect(unbufferable.status).toBe(400);
    expect(unbufferable.body.error!.message).toMatch(/^Feature 0 of star-5000 is too intricate to analyse: its 5 km ring could not be computed \(Repairing and buffering \(5000 m\) this geometry took longer than 8 s/);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM area_row`.execute(database.db)).rows[0]!.n).toBe(1);
    if (testDatabaseKind() === 'server') expect(await started()).toBe(before);
  }, 120_000);

  it("refuses an invalid site with GEOS's reason, before storing anything", async () => {
    const activityId = await database.db.transaction().execute((trx) =>
      upsertActivity(trx, { code: 'S-1', title: 'Star site', summary: 's', priorityArea: 'B', actionAreas: ['B2'], goals: ['B'], leadAgency: 'SERFOR', implementingPartners: ['P'], fundingStatus: 'funded', startDate: '2020-01-01', endDate: null, status: 'ongoing', published: true, properties: {} }),
    );
    const bowtie = { type: 'Polygon', coordinates: [[[-70, -12.9], [-69.9, -12.8], [-69.9, -12.9], [-70, -12.8], [-70, -12.9]]] };
    const res = await fetch(`${app.baseUrl}/api/activities/${activityId}/sites`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ name: 'Bow tie', kind: 'site', geometry: bowtie }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^The geometry is not valid \(Self-intersection/);
    expect((await database.db.selectFrom('site').select('id').where('activity_id', '=', activityId).execute()).length).toBe(0);
  }, 60_000);
});
