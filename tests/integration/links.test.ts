// Links on the counted grid (see helpers/grid_fixture): answers worked out by hand.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityLink, AreaActivities, ProgrammeMatrix } from '../../server/api';
import type { DatabaseHandle } from '../../server/db/database';
import { upsertActivity } from '../../server/db/repositories/activities.repository';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { insertSite } from '../../server/db/repositories/sites.repository';
import { seedGrid } from '../helpers/grid_fixture';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const point = (lon: number, lat: number) => JSON.stringify({ type: 'Point', coordinates: [lon, lat] });
const box = (w: number, s: number, e: number, n: number) => JSON.stringify({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
// 3 km and 7 km west of the grid's west edge (lon -76) at latitude -11.5, in degrees of longitude there.
const kmWest = (km: number) => -76 - km / (111.32 * Math.cos((11.5 * Math.PI) / 180)) / 1.0;

describe(`links on the ${testDatabaseKind()} database`, () => {
  let database: DatabaseHandle;
  let app: TestApp;
  let ids: Record<string, number>;
  let near: number;
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    ids = (await seedGrid(database)).activityIds;
    await database.db.transaction().execute(async (trx) => {
      ids['C-01'] = await upsertActivity(trx, { code: 'C-01', title: 'Outreach near the grid', summary: '', priorityArea: 'C', actionAreas: ['C3'], goals: ['C'], leadAgency: 'MINAM', implementingPartners: [], fundingStatus: 'seeking_funding', startDate: '2017-01-01', endDate: null, status: 'ongoing', published: true, properties: {} });
      near = await insertSite(trx, { activityId: ids['C-01']!, name: '3 km west', kind: 'school', properties: {}, geojson: point(kmWest(3), -11.5) });
      await insertSite(trx, { activityId: ids['C-01']!, name: '7 km west', kind: 'school', properties: {}, geojson: point(kmWest(7), -11.5) });
      // Two shared watersheds: one around Puno (Peru), one around La Paz (Bolivia).
      await upsertArea(trx, { kind: 'watershed', sourceId: 'ws-puno', name: 'Titicaca west', properties: { countries: ['PE', 'BO'] }, geojson: box(-70.5, -16.5, -69.5, -15.5) });
      await upsertArea(trx, { kind: 'watershed', sourceId: 'ws-lapaz', name: 'Titicaca east', properties: { countries: ['BO', 'PE'] }, geojson: box(-68.6, -16.8, -67.8, -16.2) });
      ids['D-01'] = await upsertActivity(trx, { code: 'D-01', title: 'Lake monitoring', summary: '', priorityArea: 'D', actionAreas: ['D4'], goals: ['D'], leadAgency: 'ANA', implementingPartners: [], fundingStatus: 'funded', startDate: '2015-01-01', endDate: '2016-12-31', status: 'completed', published: true, properties: {} });
      await insertSite(trx, { activityId: ids['D-01']!, name: 'Puno', kind: 'station', properties: {}, geojson: point(-70.02, -15.84) });
      await insertSite(trx, { activityId: ids['D-01']!, name: 'La Paz', kind: 'station', properties: {}, geojson: point(-68.15, -16.5) });
    });
    app = await startTestApp(database);
  });
  afterAll(() => app?.close());

  const links = async (code: string) => (await app.get(`/api/activities/${ids[code]}/links`)).body as ActivityLink[];

  it('finds points inside their squares and a line overlapping two squares with its share in each', async () => {
    const b = await links('B-01');
    expect(b.map((l) => [l.name, l.relation, l.siteCount, l.distanceM])).toEqual([
      ['Square 0,0', 'inside', 1, 0], ['Square 1,1', 'inside', 1, 0], ['Square 2,2', 'inside', 1, 0], ['Square 3,3', 'inside', 1, 0],
    ]);
    const a = await links('A-01');
    expect(a.map((l) => [l.name, l.relation]).sort()).toEqual([['Square 0,0', 'overlaps'], ['Square 0,1', 'overlaps']]);
    for (const l of a) expect(l.sites[0]!.shareOfSite).toBeCloseTo(0.5, 2);
  });

  it('links a site within the kind distance, in metres that agree with ST_Distance on geography', async () => {
    const c = await links('C-01');
    expect(c.map((l) => [l.name, l.relation, l.sites.map((s) => s.siteName)])).toEqual([['Square 0,0', 'within', ['3 km west']]]);
    const { rows } = await sql<{ d: number }>`
      SELECT ST_Distance(s.geom::geography, a.geom::geography) AS d FROM site s, area a WHERE s.id = ${near} AND a.source_id = 'sq-0-0'`.execute(database.db);
    expect(Math.abs(c[0]!.distanceM - rows[0]!.d)).toBeLessThan(1);
    expect(c[0]!.distanceM).toBeGreaterThan(2900);
    expect(c[0]!.distanceM).toBeLessThan(3100);
  });

  it('recomputes when the distance of a kind changes, inside the same transaction', async () => {
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('area_kind').set({ link_distance_m: 10000 }).where('code', '=', 'protected_area').execute();
      const inside = await sql<{ n: number }>`SELECT count(*)::int AS n FROM link l JOIN site s ON s.id = l.site_id WHERE s.name = '7 km west'`.execute(trx);
      expect(inside.rows[0]!.n).toBe(1); // visible before commit
      await trx.updateTable('area_kind').set({ link_distance_m: 5000 }).where('code', '=', 'protected_area').execute();
    });
    expect((await links('C-01')).flatMap((l) => l.sites.map((s) => s.siteName))).toEqual(['3 km west']);
  });

  it('recomputes when a site moves or an area changes, and forgets deleted areas', async () => {
    await database.db.updateTable('site').set({ geom: sql`ST_SetSRID(ST_MakePoint(-72.5, -8.5), 4326)` }).where('name', '=', 'Centre 0').execute();
    // Centre 0 moved from square 0,0 into square 3,3, which now holds two of B-01's sites.
    expect((await links('B-01')).map((l) => [l.name, l.siteCount])).toEqual([['Square 1,1', 1], ['Square 2,2', 1], ['Square 3,3', 2]]);
    await database.db.deleteFrom('area').where('source_id', '=', 'sq-3-3').execute();
    expect((await links('B-01')).map((l) => l.name)).toEqual(['Square 1,1', 'Square 2,2']);
  });

  it('tells whether each site of a shared watershed is in the Peruvian part', async () => {
    const d = await links('D-01');
    expect(d.map((l) => [l.name, l.countries, l.sites.map((s) => [s.siteName, s.inPeru])])).toEqual([
      ['Titicaca east', ['BO', 'PE'], [['La Paz', false]]],
      ['Titicaca west', ['PE', 'BO'], [['Puno', true]]],
    ]);
  });

  it('lists the activities of an area with counts by priority area and status', async () => {
    const r = (await app.get('/api/areas?bbox=-75.9,-11.9,-75.1,-11.1')).body as { features: { id: number }[] };
    const res = (await app.get(`/api/areas/${r.features[0]!.id}/activities`)).body as AreaActivities;
    expect(res.activities.map((a) => [a.code, a.relation])).toEqual([['A-01', 'overlaps'], ['C-01', 'within']]);
    expect(res.byPriorityArea).toEqual({ A: 1, C: 1 });
    expect(res.byStatus).toEqual({ ongoing: 2 });
    expect((await app.get('/api/areas/999999/activities')).status).toBe(404);
  });

  it('builds the programme matrix with filters, drillable cells and CSV', async () => {
    const m = (await app.get('/api/programme/matrix')).body as ProgrammeMatrix;
    expect(m.rows.map((r) => r.code)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(m.cells.B?.protected_area).toEqual({ activities: 1, sites: 2, overlapHa: 0 }); // square 3,3 was deleted above
    expect(m.cells.A?.protected_area?.activities).toBe(1);
    expect(m.cells.A?.forest_concession?.activities).toBe(1);
    expect(m.cells.D?.watershed).toEqual({ activities: 1, sites: 2, overlapHa: 0 });
    const ongoing = (await app.get('/api/programme/matrix?status=ongoing')).body as ProgrammeMatrix;
    expect(ongoing.cells.D).toBeUndefined();
    const dated = (await app.get('/api/programme/matrix?from=2019-01-01&to=2019-12-31')).body as ProgrammeMatrix;
    expect(Object.keys(dated.cells).sort()).toEqual(['B', 'C']); // A-01 ended 2018, D-01 2016
    const byAction = (await app.get('/api/programme/matrix?rows=actionArea')).body as ProgrammeMatrix;
    expect(byAction.cells.B2?.protected_area?.activities).toBe(1);
    const cell = (await app.get('/api/programme/matrix/cell?row=B&kind=protected_area')).body as { code: string; sites: number }[];
    expect(cell).toEqual([expect.objectContaining({ code: 'B-01', sites: 2 })]);
    const csv = await app.get('/api/programme/matrix?format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body).split('\n')[0]).toContain('priority_area,title,forest_concession_activities');
    const linksCsv = await app.get(`/api/activities/${ids['D-01']}/links?format=csv`);
    expect(String(linksCsv.body)).toMatch(/site_in_peru[\s\S]*La Paz.*false/);
  });
});
