// Progress tracking end to end on a generated raster with a planted effect: forest loss within 5 km of
// one activity's site drops by 0.6 points a year after its start while the ring around it does not;
// another activity's site has no effect. A third site nearby loses heavily, to show that the ring
// leaves other sites' buffers out. Then indicators (spatial and manual, with history) and the report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { upsertActivity } from '../../server/db/repositories/activities.repository';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { insertSite } from '../../server/db/repositories/sites.repository';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { Random } from '../../server/util/random';
import { registerRasterLayer } from '../../server/services/raster_layers.service';
import { createTestUser } from '../helpers/accounts';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const P = 1 / 1200;
const grid = { west: -71, north: -11, pixelSize: P, width: 800, height: 300 };
let TOKEN = ''; // an admin's API token, made in beforeAll
const D = 5000;
const EFFECT = -0.6; // percentage points of the 2000 forest per year, after the start
const START = 2012;
// Pixel columns/rows of the site centres: planted (A); a heavy-loss neighbour (B) 12 km east, whose 5 km
// buffer stays out of A's but reaches into A's 5-10 km ring; no effect (C), 41 km away from A.
const A = { col: 150, row: 150 };
const B = { col: 282, row: 150 };
const C = { col: 600, row: 150 };

const lonOf = (col: number) => grid.west + (col + 0.5) * P;
const latOf = (row: number) => grid.north - (row + 0.5) * P;

/** Metres between two nearby points on WGS84 (local radii of curvature; exact enough over 20 km). */
function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = 6378137;
  const e2 = 0.00669437999014;
  const phi = (((lat1 + lat2) / 2) * Math.PI) / 180;
  const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const n = a / w;
  const m = (a * (1 - e2)) / w ** 3;
  const dx = (((lon2 - lon1) * Math.PI) / 180) * n * Math.cos(phi);
  const dy = (((lat2 - lat1) * Math.PI) / 180) * m;
  return Math.hypot(dx, dy);
}

describe(`progress tracking on the ${testDatabaseKind()} database`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-progress-'));
  let database: DatabaseHandle;
  let app: TestApp;
  const ids: Record<string, number> = {};
  const siteIds: Record<string, number> = {};
  const post = (p: string, body: unknown, token = TOKEN) => fetch(`${app.baseUrl}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    const rng = new Random(42);
    // Regional yearly loss (fraction of the 2000 forest), rising, with shocks every zone shares.
    const regional: number[] = [];
    for (let y = 2001; y <= 2023; y++) regional.push(0.01 + 0.0005 * (y - 2001) + (rng.next() - 0.5) * 0.004);
    const loss = new Uint8Array(grid.width * grid.height);
    const cover = new Uint8Array(grid.width * grid.height).fill(90);
    for (let row = 0; row < grid.height; row++) {
      for (let col = 0; col < grid.width; col++) {
        const lon = lonOf(col);
        const lat = latOf(row);
        const inA = metres(lon, lat, lonOf(A.col), latOf(A.row)) <= D;
        const inB = metres(lon, lat, lonOf(B.col), latOf(B.row)) <= D;
        // Each pixel draws its loss year from the yearly shares, so the expected share lost in a year is exactly that year's rate.
        let u = rng.next();
        for (let i = 0; i < regional.length; i++) {
          const year = 2001 + i;
          const share = inB ? 0.04 : inA && year > START ? regional[i]! + EFFECT / 100 : regional[i]!;
          if (u < share) {
            loss[row * grid.width + col] = i + 1;
            break;
          }
          u -= share;
        }
      }
    }
    fs.writeFileSync(path.join(dir, 'loss.tif'), await encodeUint8GeoTiff(grid, loss, 'loss'));
    fs.writeFileSync(path.join(dir, 'cover.tif'), await encodeUint8GeoTiff(grid, cover, 'cover'));
    await registerRasterLayer(database.db, { files: [path.join(dir, 'cover.tif')], kind: 'treecover', name: 'cover', dataDir: dir });
    await registerRasterLayer(database.db, { files: [path.join(dir, 'loss.tif')], kind: 'lossyear', name: 'loss', treecover: 'cover', dataDir: dir });
    const base = { summary: 'generated', implementingPartners: ['Partner'], fundingStatus: 'funded', properties: {}, actionAreas: ['B2'], priorityArea: 'B', endDate: null, status: 'ongoing' };
    await database.db.transaction().execute(async (trx) => {
      ids.planted = await upsertActivity(trx, { ...base, code: 'B-PL', title: 'Planted effect', goals: ['B'], leadAgency: 'SERNANP', startDate: `${START}-06-01`, published: true });
      ids.neighbour = await upsertActivity(trx, { ...base, code: 'B-NB', title: 'Heavy-loss neighbour', goals: ['B'], leadAgency: 'SERFOR', startDate: '2005-01-01', published: true });
      ids.none = await upsertActivity(trx, { ...base, code: 'A-NO', title: 'No effect', goals: ['A'], priorityArea: 'A', actionAreas: ['A1'], leadAgency: 'OEFA', startDate: `${START}-06-01`, published: true });
      ids.draft = await upsertActivity(trx, { ...base, code: 'A-DR', title: 'Draft activity', goals: ['A'], priorityArea: 'A', actionAreas: ['A1'], leadAgency: 'OEFA', startDate: '2019-01-01', published: false });
    });
    const point = (c: { col: number; row: number }) => JSON.stringify({ type: 'Point', coordinates: [lonOf(c.col), latOf(c.row)] });
    siteIds.A = await insertSite(database.db, { activityId: ids.planted!, name: 'Site A', kind: 'patrol_post', properties: {}, geojson: point(A) });
    siteIds.B = await insertSite(database.db, { activityId: ids.neighbour!, name: 'Site B', kind: 'mine', properties: {}, geojson: point(B) });
    siteIds.C = await insertSite(database.db, { activityId: ids.none!, name: 'Site C', kind: 'patrol_post', properties: {}, geojson: point(C) });
    siteIds.D = await insertSite(database.db, { activityId: ids.draft!, name: 'Draft site', kind: 'patrol_post', properties: {}, geojson: point({ col: 600, row: 40 }) });
    // A protected area around site C, for the linked-area indicators.
    // Edges on pixel edges, off the pixel centres, so no pixel depends on how a library rounds them.
    const w = grid.west + 560 * P;
    const e = grid.west + 640 * P;
    const n = grid.north - 110 * P;
    const s = grid.north - 190 * P;
    ids.pa = await upsertArea(database.db, { kind: 'protected_area', sourceId: 'pa-c', name: 'Reserve C', properties: { ecosystem: 'lowland' }, geojson: JSON.stringify({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] }) });
    TOKEN = (await createTestUser(database, 'admin')).token;
    app = await startTestApp(database, { ATALAYA_DATA_DIR: dir, ATALAYA_SITE_BUFFER_M: String(D) });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('recovers the planted effect within its interval', async () => {
    const r = await app.get(`/api/activities/${ids.planted}/trend`);
    expect(r.status).toBe(200);
    const t = r.body;
    expect(t.start_year).toBe(START);
    expect(t.result.years_before).toBe(START - 2001);
    expect(t.result.years_after).toBe(2023 - START);
    expect(t.result.ci_low).toBeLessThanOrEqual(EFFECT);
    expect(t.result.ci_high).toBeGreaterThanOrEqual(EFFECT);
    expect(t.result.ci_high).toBeLessThan(0);
    expect(Math.abs(t.result.did - EFFECT)).toBeLessThan(0.15);
    // Before the start the buffer and the ring lose at the same regional rate.
    expect(Math.abs(t.result.buffer_before - t.result.ring_before)).toBeLessThan(0.1);
    // The ring leaves site B's heavy-loss buffer out: its rate stays regional (about 1.2-1.8 %/yr), far from B's 4 %.
    expect(t.result.ring_before).toBeGreaterThan(1.0);
    expect(t.result.ring_before).toBeLessThan(2.0);
    expect(t.warnings).toContain('method_change');
    expect(t.summary.en).toMatch(/association, not proof/);
    expect(t.summary.en).toMatch(/excludes zero/);
    expect(t.summary.es).toMatch(/asociación, no una prueba/);
    // One site: the site's trend is the activity's.
    const site = await app.get(`/api/sites/${siteIds.A}/trend`);
    expect(site.body.result).toEqual(t.result);
  });

  it('finds no effect where none was planted: the interval covers zero', async () => {
    const t = (await app.get(`/api/activities/${ids.none}/trend`)).body;
    expect(t.result.ci_low).toBeLessThanOrEqual(0);
    expect(t.result.ci_high).toBeGreaterThanOrEqual(0);
    expect(t.summary.en).toMatch(/includes zero/);
  });

  it('warns about short windows and leaves the method change out when the window starts in 2011', async () => {
    const t = (await app.get(`/api/activities/${ids.planted}/trend?from=2011&to=2020`)).body;
    expect(t.window).toEqual({ from: 2011, to: 2020 });
    expect(t.result.years_before).toBe(1);
    expect(t.warnings).toContain('few_years');
    expect(t.warnings).not.toContain('method_change');
    expect(t.summary.en).toMatch(/fewer than 3 years on one side \(1 before, 8 after\)/);
    const csv = await app.get(`/api/activities/${ids.planted}/trend?format=csv`);
    expect(String(csv.body).trim().split('\n')).toHaveLength(24);
    expect((await app.get(`/api/activities/${ids.planted}/trend?distance_m=5`)).status).toBe(400);
    expect((await app.get('/api/activities/99999/trend')).status).toBe(404);
  });

  it('computes spatial indicators, and recomputes them with history after a site moves', async () => {
    const created = await post(`/api/activities/${ids.planted}/indicators`, {
      name: 'Forest loss within 5 km of the sites', unit: '% of 2000 forest/yr', direction: 'lower_is_better', kind: 'spatial',
      definition: { metric: 'loss_near_sites', distance_m: 5000, measure: 'pct_forest2000', target_change_pct: -30 },
      baseline_year: 2011, target_year: 2025, published: true,
    });
    expect(created.status).toBe(201);
    const ind = await created.json();
    expect(ind.measurements).toHaveLength(23);
    // Equal to the stored activity statistics for the same buffer.
    const stat = (await app.get(`/api/activities/${ids.planted}/loss?buffer_m=5000`)).body;
    for (const [i, y] of stat.years.entries()) expect(ind.measurements[i].value).toBeCloseTo((100 * y.loss_ha) / stat.forest2000_ha, 3);
    const mean = (ys: number[]) => ys.reduce((s, v) => s + v, 0) / ys.length;
    expect(ind.baseline.computed).toBe(true);
    expect(ind.baseline.value).toBeCloseTo(mean(ind.measurements.slice(8, 11).map((m: { value: number }) => m.value)), 3);
    expect(ind.target.value).toBeCloseTo(ind.baseline.value * 0.7, 3);
    expect(ind.latest.smoothed_years).toBe(3);
    expect(['on_track', 'at_risk', 'off_track']).toContain(ind.status);
    const before = ind.measurements.map((m: { value: number }) => m.value);

    // Nothing changed: nothing recomputed.
    expect(await (await post('/api/indicators/recompute', {})).json()).toMatchObject({ recomputed: 0 });
    // The site moves 2 km south: the indicator is recomputed, the old values kept as history.
    await sql`UPDATE site SET geom = ST_Translate(geom, 0, -0.018) WHERE id = ${siteIds.A!}`.execute(database.db);
    expect(await (await post('/api/indicators/recompute', {})).json()).toMatchObject({ recomputed: 1, failed: [] });
    const after = (await app.get(`/api/indicators/${ind.id}`)).body;
    const current = after.measurements.filter((m: { superseded_at: string | null }) => m.superseded_at === null);
    const old = after.measurements.filter((m: { superseded_at: string | null }) => m.superseded_at !== null);
    expect(current).toHaveLength(23);
    expect(old.map((m: { value: number }) => m.value)).toEqual(before);
    expect(current.map((m: { value: number }) => m.value)).not.toEqual(before);
    expect(current[0].inputs.geometry_md5).not.toEqual(old[0].inputs.geometry_md5);
    // The activity's list shows current values only.
    const list = (await app.get(`/api/activities/${ids.planted}/indicators`)).body;
    expect(list.indicators[0].measurements).toHaveLength(23);
    expect(list.status_rule).toMatch(/Linear path/);
  });

  it('computes linked-area indicators and takes manual measurements, refusing bad ones', async () => {
    const area = await post(`/api/activities/${ids.none}/indicators`, { name: 'Protected area linked', unit: 'ha', direction: 'higher_is_better', kind: 'spatial', definition: { metric: 'linked_area', area_kind: 'protected_area' }, published: true });
    expect(area.status).toBe(201);
    const a = await area.json();
    const pa = await database.db.selectFrom('area').select('area_ha').where('id', '=', ids.pa!).executeTakeFirstOrThrow();
    expect(pa.area_ha).toBeGreaterThan(1000);
    expect(a.measurements[0].value).toBeCloseTo(pa.area_ha, 0);
    const inPa = await (await post(`/api/activities/${ids.none}/indicators`, { name: 'Loss inside linked protected areas', unit: 'ha/yr', direction: 'lower_is_better', kind: 'spatial', definition: { metric: 'loss_in_linked_areas', area_kind: 'protected_area' }, published: true })).json();
    const paLoss = (await app.get(`/api/areas/${ids.pa}/loss`)).body;
    expect(inPa.measurements.map((m: { value: number }) => m.value)).toEqual(paLoss.years.map((y: { loss_ha: number }) => y.loss_ha));

    const manual = await post(`/api/activities/${ids.none}/indicators`, { name: 'Rangers trained', unit: 'people', direction: 'higher_is_better', kind: 'manual', baseline_value: 0, baseline_year: 2016, target_value: 400, target_year: 2026, published: true });
    const m = await manual.json();
    expect(m.status).toBe('no_data');
    const measured = await post(`/api/indicators/${m.id}/measurements`, { measured_at: '2021-01-01', value: 260, source: 'SERNANP training records' });
    expect(measured.status).toBe(201);
    expect(await measured.json()).toMatchObject({ status: 'on_track', latest: { value: 260, at: '2021-01-01' } });
    expect((await post(`/api/indicators/${m.id}/measurements`, { measured_at: '2021-13-01', value: 'x' })).status).toBe(400);
    expect((await post(`/api/indicators/${a.id}/measurements`, { measured_at: '2021-01-01', value: 1 })).status).toBe(400);
    expect((await post(`/api/indicators/${m.id}/measurements`, { measured_at: '2021-01-01', value: 1 }, 'wrong-token-wrong-token')).status).toBe(401);
    expect((await post(`/api/activities/${ids.none}/indicators`, { name: 'Rangers trained', unit: 'people', direction: 'higher_is_better', kind: 'manual' })).status).toBe(409);
    const bad = await post(`/api/activities/${ids.none}/indicators`, { name: 'x', unit: 'ha', direction: 'higher_is_better', kind: 'spatial' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/definition/);
    expect((await post(`/api/activities/${ids.none}/indicators`, { name: 'y', unit: 'ha', direction: 'up', kind: 'manual', baseline_value: 1, baseline_year: 2020, target_value: 2, target_year: 2019 })).status).toBe(400);
    // A draft indicator stays out of the public report.
    await post(`/api/activities/${ids.none}/indicators`, { name: 'Draft indicator', unit: 'n', direction: 'higher_is_better', kind: 'manual', published: false });
  });

  it('exports the stored statistics with their subjects, one column per year', async () => {
    const csv = String((await app.get('/api/statistics/export?subject=area&format=csv')).body).trim().split('\n');
    expect(csv[0]).toMatch(/^id,name,kind,area_ha,forest2000_ha,total_loss_ha,loss_2001,.*loss_2023,buffer_m,layer,treecover,threshold,computed_at,wkt$/);
    expect(csv).toHaveLength(2); // the one protected area
    const paLoss = (await app.get(`/api/areas/${ids.pa}/loss`)).body;
    expect(csv[1]).toContain(String(paLoss.years[0].loss_ha));
    for (const id of [siteIds.A, siteIds.B, siteIds.C]) expect((await app.get(`/api/sites/${id}/loss?buffer_m=5000`)).status).toBe(200); // stored now
    expect((await app.get(`/api/sites/${siteIds.D}/loss?buffer_m=5000`)).status).toBe(404); // the draft's site is not public
    const gj = (await app.get('/api/statistics/export?subject=site&format=geojson&buffer_m=5000')).body;
    expect(gj.features.map((f: { properties: { name: string } }) => f.properties.name).sort()).toEqual(['Site A', 'Site B', 'Site C']); // the draft's site is not public
    expect(gj.features[0].geometry.type).toBe('Point');
  });

  it('reports per goal and priority area, filtered, as JSON, CSV and a page in both languages, without drafts', async () => {
    const r = (await app.get('/api/report')).body;
    const all = r.priority_areas.flatMap((p: { activities: { code: string }[] }) => p.activities.map((a) => a.code));
    expect(all.sort()).toEqual(['A-NO', 'B-NB', 'B-PL']);
    const planted = r.priority_areas.find((p: { code: string }) => p.code === 'B').activities.find((a: { code: string }) => a.code === 'B-PL');
    expect(planted.trend.result.ci_high).toBeLessThan(0);
    expect(planted.indicators).toHaveLength(1);
    const none = r.priority_areas.find((p: { code: string }) => p.code === 'A').activities[0];
    expect(none.indicators.map((i: { name: string }) => i.name)).not.toContain('Draft indicator');
    expect(r.goals.find((g: { code: string }) => g.code === 'B').counts.activities).toBe(2);
    expect(r.totals.activities).toBe(3);
    const onlyA = (await app.get('/api/report?goal=A')).body;
    expect(onlyA.priority_areas.flatMap((p: { activities: unknown[] }) => p.activities)).toHaveLength(1);
    const csv = String((await app.get('/api/report?format=csv')).body).trim().split('\n');
    expect(csv[0]).toContain('indicator_status');
    expect(csv.length - 1).toBe(1 + 1 + 3); // B-PL one indicator, B-NB none (one row), A-NO three published
    const en = await app.get('/report?priority_area=B');
    expect(en.headers.get('content-type')).toMatch(/html/);
    expect(en.body).toContain('Programme progress report');
    expect(en.body).toContain('Planted effect');
    expect(en.body).not.toContain('No effect');
    expect(en.body).not.toContain('Draft activity');
    const es = await app.get('/report?lang=es');
    expect(es.body).toContain('Informe de avance del programa');
    expect(es.body).toContain('no una prueba');
    expect((await app.get('/api/report?goal=nonsense')).status).toBe(400);
    // The layer of the trends is the one asked for, and the report says which; an unknown one is an error, not the default.
    expect(r.layer).toEqual({ name: 'loss', version: null, treecover: 'cover', threshold: 30 });
    const named = (await app.get('/api/report?layer=loss')).body;
    expect(named.layer.name).toBe('loss');
    expect(named.priority_areas.find((p: { code: string }) => p.code === 'B').activities.find((a: { code: string }) => a.code === 'B-PL').trend.result).toEqual(planted.trend.result);
    const missing = await app.get('/api/report?layer=nothing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('No raster layer "nothing"');
  });
});
