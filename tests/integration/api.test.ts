import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityDetailSchema, activityListSchema, areaCollectionSchema, healthSchema, programmeSchema, siteCollectionSchema } from '../../server/api';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { seedGrid } from '../helpers/grid_fixture';

describe(`HTTP API on the ${testDatabaseKind()} database`, () => {
  let app: TestApp;
  let ids: Record<string, number>;
  beforeAll(async () => {
    const database = await getTestDatabase();
    await resetData(database);
    ids = (await seedGrid(database)).activityIds;
    app = await startTestApp(database);
  });
  afterAll(() => app?.close());

  it('reports the database kind and PostGIS in /api/health', async () => {
    const { status, body } = await app.get('/api/health');
    expect(status).toBe(200);
    const health = healthSchema.parse(body);
    expect(health.database.kind).toBe(testDatabaseKind());
    expect(health.database.postgis).toMatch(/^3\./);
    expect(health.database.migration).toBe(health.database.latestMigration);
    expect(health.status).toBe('ok');
    expect(health.database.responding).toBe(true);
    // The embedded PostGIS is built without protobuf; a Debian PostGIS server has it.
    expect(health.database.mvt).toBe(testDatabaseKind() === 'server');
  });

  it('answers an anonymous write with 401 before it reads the body, and unknown paths with the JSON error', async () => {
    const post = (path: string, body: string) => fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    for (const [path, body] of [['/api/activities', '{"nonsense":true}'], [`/api/activities/${ids['A-01']}/sites`, '{}'], ['/api/users', '"not an object"'], ['/api/statistics/jobs', '{"kind":42}']] as const) {
      const res = await post(path, body);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    for (const path of ['/no/such/page', '/ogc/nothing-here', '/api/nothing-here']) {
      const res = await fetch(`${app.baseUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });

  it('serves the Work Program: five goals, five priority areas with objectives and action areas', async () => {
    const { body } = await app.get('/api/programme');
    const p = programmeSchema.parse(body);
    expect(p.goals.map((g) => g.code)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(p.priorityAreas.map((a) => [a.code, a.objectives.length, a.actionAreas.length])).toEqual([
      ['A', 4, 4], ['B', 6, 5], ['C', 3, 3], ['D', 5, 5], ['E', 1, 3],
    ]);
    const d4 = p.priorityAreas[3]!.actionAreas.find((a) => a.code === 'D4')!;
    expect(d4.title.en).toMatch(/paramo and puna/);
    expect(d4.title.es).toMatch(/páramo y puna/);
  });

  it('filters areas by kind and bbox, with numberMatched for the whole filter', async () => {
    const all = areaCollectionSchema.parse((await app.get('/api/areas')).body);
    expect(all.numberMatched).toBe(16);
    const pa = areaCollectionSchema.parse((await app.get('/api/areas?kind=protected_area')).body);
    expect(pa.numberMatched).toBe(8);
    expect(pa.features.every((f) => f.properties.kind === 'protected_area')).toBe(true);
    // Strictly inside the four south-west squares: two of each kind.
    const box = areaCollectionSchema.parse((await app.get('/api/areas?bbox=-75.9,-11.9,-74.1,-10.1')).body);
    expect(box.features.map((f) => f.properties.sourceId).sort()).toEqual(['sq-0-0', 'sq-0-1', 'sq-1-0', 'sq-1-1']);
    const page = areaCollectionSchema.parse((await app.get('/api/areas?kind=forest_concession&limit=3&offset=6')).body);
    expect([page.numberMatched, page.numberReturned]).toEqual([8, 2]);
  });

  it('returns MultiPolygons with the geodesic area in hectares', async () => {
    const fc = areaCollectionSchema.parse((await app.get('/api/areas?bbox=-75.9,-11.9,-75.1,-11.1')).body);
    expect(fc.features).toHaveLength(1);
    const f = fc.features[0]!;
    expect(f.geometry.type).toBe('MultiPolygon');
    // A 1 x 1 degree cell between 11 and 12 degrees south: about 12,046 km2 on WGS84.
    expect(f.properties.areaHa).toBeGreaterThan(1_200_000);
    expect(f.properties.areaHa).toBeLessThan(1_210_000);
  });

  it('answers a bad bbox or limit with 400 and a message that says what to fix', async () => {
    for (const q of ['bbox=1,2,3', 'bbox=10,0,5,5', 'limit=0', 'limit=abc', 'kind=Protected Area']) {
      const { status, body } = await app.get(`/api/areas?${q}`);
      expect(status, q).toBe(400);
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).toMatch(/bbox|limit|kind/);
    }
  });

  it('lists sites as GeoJSON with their activity, filterable by bbox and priority area', async () => {
    const all = siteCollectionSchema.parse((await app.get('/api/sites')).body);
    expect(all.numberMatched).toBe(5);
    const b = siteCollectionSchema.parse((await app.get('/api/sites?priorityArea=B')).body);
    expect(b.numberMatched).toBe(4);
    expect(b.features[0]!.properties.activityCode).toBe('B-01');
    const box = siteCollectionSchema.parse((await app.get('/api/sites?bbox=-76,-12,-75,-11')).body);
    expect(box.features.map((f) => f.properties.name).sort()).toEqual(['Centre 0', 'Road']);
  });

  it('filters activities by priority area, action area, goal, status and text', async () => {
    const count = async (q: string) => activityListSchema.parse((await app.get(`/api/activities?${q}`)).body).numberMatched;
    // The draft B-02 (completed, SERFOR, active 2010-2012) is never counted in public.
    expect(await count('')).toBe(2);
    expect(await count('priorityArea=B')).toBe(1);
    expect(await count('actionArea=B3')).toBe(1);
    expect(await count('goal=D')).toBe(1);
    expect(await count('status=completed')).toBe(0);
    expect(await count('q=patrol')).toBe(1);
    expect(await count('leadAgency=serfor')).toBe(1);
    expect(await count('activeOn=2011-05-01')).toBe(0);
    expect(await count('activeOn=2017-05-01')).toBe(2);
    expect(await count('q=100%25')).toBe(0); // a literal % is not a wildcard
  });

  it('returns one activity with its action areas, goals and sites', async () => {
    const { status, body } = await app.get(`/api/activities/${ids['B-01']}`);
    expect(status).toBe(200);
    const a = activityDetailSchema.parse(body);
    expect(a).toMatchObject({ code: 'B-01', actionAreas: ['B2', 'B3'], goals: ['B', 'D'], startDate: '2016-06-01', endDate: null, siteCount: 4 });
    expect(a.sites.features).toHaveLength(4);
    expect(a.sites.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [-75.5, -11.5] });
  });

  it('answers 404 for an unknown activity or endpoint and 400 for a malformed id', async () => {
    expect((await app.get('/api/activities/99999')).status).toBe(404);
    expect((await app.get('/api/activities/abc')).body.error.code).toBe('bad_request');
    const unknown = await app.get('/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });
});
