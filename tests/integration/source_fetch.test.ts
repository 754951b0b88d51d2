// Fetching real sources against a local server that speaks each protocol as the real services do:
// ArcGIS REST paging with exceededTransferLimit and a 503 first, an Esri JSON polygon with a hole,
// WFS 2.0 paging (and --since as a FES filter), a file cut halfway and resumed, a 304 on refresh, a schema change, Hansen tiles.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dayOf } from '../../server/alerts/alert_encoding';
import type { DatabaseHandle } from '../../server/db/database';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { sourceSchema, type Source } from '../../server/sources/catalogue_schema';
import { fetchSource, SourceError } from '../../server/services/source_fetch.service';
import { listSources } from '../../server/services/sources.service';
import { getAreaKinds } from '../../server/services/features.service';
import { createAnalysisContext } from '../../server/services/analysis_context';
import { FETCH_JOB, registerFetchJob } from '../../server/services/fetch_jobs';
import { createLogger } from '../../server/log';
import { loadConfig } from '../../server/config';
import { startSourceServer, type EsriFeature } from '../helpers/source_server';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const hasOgr = (() => {
  try {
    execFileSync('ogr2ogr', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A square ring, clockwise (Esri's outer ring) or counter-clockwise (a hole). */
function square(w: number, s: number, size: number, clockwise: boolean): number[][] {
  const ring = [[w, s], [w, s + size], [w + size, s + size], [w + size, s], [w, s]];
  return clockwise ? ring : ring.reverse();
}

function esri(i: number, extra: Record<string, unknown> = {}): EsriFeature {
  const w = -70 + i * 0.2;
  const rings = [square(w, -12, 0.1, true)];
  if (i === 2) rings.push(square(w + 0.03, -11.97, 0.04, false)); // a hole
  return { attributes: { OBJECTID: i + 1, anp_codi: `PN0${i}`, anp_nomb: `Área ${i}`, anp_cate: 'Parque Nacional', anp_fecrea: Date.UTC(2000 + i, 0, 15), ...extra }, geometry: { rings } };
}

/** A second row with the code of area 4: one area of two disjoint parts, as SERNANP serves them. */
function secondPart(): EsriFeature {
  return { attributes: { ...esri(4).attributes, OBJECTID: 6 }, geometry: { rings: [square(-69.2, -12.3, 0.05, true)] } };
}

/** Every vertex GDAL read has a stored vertex within 1 m (rings as point sets: writers may start or turn them differently). */
function expectWithinOneMetre(mine: GeoJSON.MultiPolygon, theirs: number[][][][]): void {
  expect(mine.coordinates.length).toBeGreaterThanOrEqual(theirs.length);
  const ours = mine.coordinates.flat(2) as unknown as [number, number][];
  for (const [x, y] of theirs.flat(2) as unknown as [number, number][]) {
    const nearest = Math.min(...ours.map(([a, b]) => Math.hypot((a - x) * 111_320 * Math.cos((y * Math.PI) / 180), (b - y) * 110_574)));
    expect(nearest).toBeLessThan(1);
  }
}

describe(`fetching real sources on the ${testDatabaseKind()} database`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-fetch-'));
  let database: DatabaseHandle;
  let server: Awaited<ReturnType<typeof startSourceServer>>;
  let arcgis: Source;
  const http = { backoffMs: 5, retries: 3, timeoutMs: 10_000 };

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    server = await startSourceServer({ arcgis: [0, 1, 2, 3, 4].map((i) => esri(i)).concat(secondPart()) });
    arcgis = sourceSchema.parse({
      id: 'test-anp', title: { en: 'Test ANP', es: 'ANP de prueba' }, protocol: 'arcgis-rest', url: `${server.baseUrl}/arcgis/rest/services/Test/MapServer/0`,
      target: { type: 'areas', kind: 'protected_area' }, fields: { id: 'anp_codi', name: 'anp_nomb', category: 'anp_cate', start: 'anp_fecrea' },
      licence: 'Test licence', attribution: 'Test agency',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const wfsSource = () =>
    sourceSchema.parse({
      id: 'test-departments', title: { en: 'Departments', es: 'Departamentos' }, protocol: 'wfs', url: `${server.baseUrl}/wfs`, typeName: 'test:departamentos', pageSize: 3,
      target: { type: 'areas', kind: 'department', kindLabel: { en: 'Department', es: 'Departamento' } }, fields: { id: 'IDDPTO', name: 'NOMBDEP', start: 'FECHA' }, licence: 'Test', attribution: 'Test',
    });
  const areas = async (kind: string) =>
    (await sql<{ source_id: string; name: string; properties: Record<string, unknown>; geojson: string }>`SELECT source_id, name, properties, ST_AsGeoJSON(geom) AS geojson FROM area WHERE kind = ${kind} ORDER BY source_id`.execute(database.db)).rows;

  it('pages an ArcGIS REST layer past maxRecordCount, retries a 503, and imports every feature once, holes included', async () => {
    server.state.failNextQueries = 1;
    const r = await fetchSource(database.db, arcgis, { dataDir: dir, http });
    expect(r).toMatchObject({ status: 'imported', count: 5 });
    // 6 rows, 2 per page: three pages, the 503 retried before the first.
    expect(server.state.log.filter((l) => l.path.endsWith('/query')).map((l) => l.status)).toEqual([503, 200, 200, 200]);
    const rows = await areas('protected_area');
    expect(rows.map((a) => a.source_id)).toEqual(['PN00', 'PN01', 'PN02', 'PN03', 'PN04']);
    expect(rows[2]!.name).toBe('Área 2');
    expect(rows[2]!.properties).toMatchObject({ category: 'Parque Nacional', start_date: '2002-01-15' });
    const holed = JSON.parse(rows[2]!.geojson) as GeoJSON.MultiPolygon;
    expect(holed.coordinates[0]).toHaveLength(2); // outer ring and its hole
    expect((JSON.parse(rows[4]!.geojson) as GeoJSON.MultiPolygon).coordinates).toHaveLength(2); // both rows of PN04, joined
    // The map's attribution names the agency and licence of the kind's areas (not the URL and time).
    expect((await getAreaKinds(database.db)).find((k) => k.code === 'protected_area')!.sources).toEqual([{ source: 'Test agency', licence: 'Test licence', synthetic: false }]);
    // Provenance: the URL, the time and the licence of the fetch.
    const source = (await sql<{ licence: string; source: string }>`SELECT licence, source FROM import_source ORDER BY id DESC LIMIT 1`.execute(database.db)).rows[0]!;
    expect(source.licence).toBe('Test licence');
    expect(source.source).toMatch(new RegExp(`^Test agency; ${server.baseUrl}/arcgis/rest/services/Test/MapServer/0; fetched \\d{4}-`));
  });

  it.skipIf(!hasOgr)('stores the positions GDAL reads from the same Esri JSON answers (within 1 m)', async () => {
    const rows = await areas('protected_area');
    const stored = new Map(rows.map((r) => [r.source_id, JSON.parse(r.geojson) as GeoJSON.MultiPolygon]));
    for (const [i, answer] of server.state.arcgisAnswers.entries()) {
      const file = path.join(dir, `answer-${i}.json`);
      fs.writeFileSync(file, answer);
      const read = JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file], { encoding: 'utf8' })) as GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
      // PN04 is two rows joined into one area: GDAL reads each row, the store holds both parts.
      for (const f of read.features) expectWithinOneMetre(stored.get(String(f.properties!.anp_codi))!, f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates);
    }
  });

  it('does not import an unchanged source again', async () => {
    const before = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM import_source`.execute(database.db)).rows[0]!.n);
    const r = await fetchSource(database.db, arcgis, { dataDir: dir, http });
    expect(r.status).toBe('not_modified');
    expect(Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM import_source`.execute(database.db)).rows[0]!.n)).toBe(before);
  });

  it('refuses a source whose schema changed, naming the missing field, and keeps the previous data', async () => {
    const before = await areas('protected_area');
    server.state.arcgis = [0, 1, 2, 3, 4].map((i) => {
      const f = esri(i, { nombre_anp: `Renamed ${i}` });
      delete f.attributes.anp_nomb;
      return f;
    });
    const error = await fetchSource(database.db, arcgis, { dataDir: dir, http }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toContain('no longer has the field "anp_nomb"');
    expect((error as Error).message).toContain('nombre_anp');
    expect(await areas('protected_area')).toEqual(before);
    const status = (await listSources(database.db)).find((s) => s.id === 'sernanp-anp');
    expect(status).toBeDefined(); // the catalogue's sources are listed, fetched or not
    const state = (await sql<{ status: string; message: string }>`SELECT status, message FROM source_fetch WHERE source_id = 'test-anp'`.execute(database.db)).rows[0]!;
    expect(state.status).toBe('failed');
    expect(state.message).toContain('anp_nomb');
    server.state.arcgis = [0, 1, 2, 3, 4].map((i) => esri(i)).concat(secondPart());
  });

  it('pages a WFS 2.0 feature type with startIndex and count', async () => {
    // GeoJSON polygons as a WFS writes them (outer ring counter-clockwise); the fourth has a hole, off-grid coordinates.
    server.state.wfs = Array.from({ length: 7 }, (_, i) => ({
      type: 'Feature', id: `dep.${i}`, properties: { IDDPTO: String(i).padStart(2, '0'), NOMBDEP: `DEPARTAMENTO ${i}`, FECHA: `20${10 + i}-03-01` },
      geometry: { type: 'Polygon', coordinates: i === 3 ? [square(-72.123456789, -10.987654321, 0.5, false), square(-72, -10.9, 0.1, true)] : [square(-75 + i, -10, 0.5, false)] },
    }));
    const r = await fetchSource(database.db, wfsSource(), { dataDir: dir, http });
    expect(r).toMatchObject({ status: 'imported', count: 7 });
    expect(server.state.log.filter((l) => l.path === '/wfs')).toHaveLength(3);
    expect((await areas('department')).map((a) => a.name)).toEqual(Array.from({ length: 7 }, (_, i) => `DEPARTAMENTO ${i}`));
    expect((JSON.parse((await areas('department'))[3]!.geojson) as GeoJSON.MultiPolygon).coordinates[0]).toHaveLength(2); // the hole kept
  });

  it.skipIf(!hasOgr)('stores the positions GDAL reads from the same WFS answers (within 1 m)', async () => {
    const stored = new Map((await areas('department')).map((r) => [r.source_id, JSON.parse(r.geojson) as GeoJSON.MultiPolygon]));
    expect(server.state.wfsAnswers).toHaveLength(3);
    for (const [i, answer] of server.state.wfsAnswers.entries()) {
      const file = path.join(dir, `wfs-answer-${i}.json`);
      fs.writeFileSync(file, answer);
      const read = JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file], { encoding: 'utf8' })) as GeoJSON.FeatureCollection<GeoJSON.Polygon>;
      for (const f of read.features) expectWithinOneMetre(stored.get(String(f.properties!.IDDPTO))!, [f.geometry.coordinates]);
    }
  });

  it('fetches only what is new with --since: a FES filter with the box inside it, and the dates checked again when a server ignores it', async () => {
    server.state.wfsFilters = [];
    const dryRun = await fetchSource(database.db, wfsSource(), { dataDir: dir, http, since: '2014-01-01', bbox: [-76, -11, -69.2, -9], dryRun: true });
    // Departments 4 and 5 are dated 2014 and 2015 and inside the box (6 is east of it, 0-3 are older).
    expect(dryRun).toMatchObject({ status: 'dry_run', count: 2 });
    const filter = server.state.wfsFilters[0]!;
    expect(filter).toContain('<fes:ValueReference>FECHA</fes:ValueReference><fes:Literal>2014-01-01</fes:Literal>');
    expect(filter).toContain('<gml:lowerCorner>-76 -11</gml:lowerCorner><gml:upperCorner>-69.2 -9</gml:upperCorner>');
    expect(server.state.log.at(-1)!.status).toBe(200); // no bbox parameter beside the FILTER (a WFS 2.0 server refuses both)
    server.state.wfsIgnoresFilter = true;
    try {
      const ignored = await fetchSource(database.db, wfsSource(), { dataDir: dir, http, since: '2014-01-01', dryRun: true });
      expect(ignored).toMatchObject({ status: 'dry_run', count: 3 });
      expect(ignored.detail).toContain('4 older than 2014-01-01 left out');
      const none = await fetchSource(database.db, wfsSource(), { dataDir: dir, http, since: '2030-01-01' });
      expect(none).toMatchObject({ status: 'not_modified', count: 0 });
      expect(none.detail).toContain('no features dated on or after 2030-01-01');
    } finally {
      server.state.wfsIgnoresFilter = false;
    }
    const undated = sourceSchema.parse({ ...wfsSource(), fields: { id: 'IDDPTO', name: 'NOMBDEP' } });
    await expect(fetchSource(database.db, undated, { dataDir: dir, http, since: '2014-01-01' })).rejects.toThrow(/--since needs a dated source/);
  });

  it('resumes a file cut halfway with a range request, and asks again with its ETag (304)', async () => {
    const collection = { type: 'FeatureCollection', features: Array.from({ length: 40 }, (_, i) => ({ type: 'Feature', properties: { code: `W${i}`, name: `Cuenca ${i}` }, geometry: { type: 'Polygon', coordinates: [square(-71 + (i % 8) * 0.1, -13 + Math.floor(i / 8) * 0.1, 0.05, false)] } })) };
    server.state.file = { body: Buffer.from(JSON.stringify(collection)), etag: '"v1"' };
    server.state.resetFileAfter = 1500;
    const file = sourceSchema.parse({
      id: 'test-basins', title: { en: 'Basins', es: 'Cuencas' }, protocol: 'http-file', url: `${server.baseUrl}/files/areas.geojson`, format: 'geojson',
      target: { type: 'areas', kind: 'watershed' }, fields: { id: 'code', name: 'name' }, licence: 'Test', attribution: 'Test',
    });
    const r = await fetchSource(database.db, file, { dataDir: dir, http });
    expect(r).toMatchObject({ status: 'imported', count: 40 });
    // The second request continues after the bytes that arrived (all 1,500 unless the reset overtook some).
    const requests = server.state.log.filter((l) => l.path === '/files/areas.geojson');
    expect(requests.map((l) => l.status)).toEqual([200, 206]);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(1500);
    expect(await areas('watershed')).toHaveLength(40);
    const again = await fetchSource(database.db, file, { dataDir: dir, http });
    expect(again.status).toBe('not_modified');
    expect(server.state.log.at(-1)).toMatchObject({ path: '/files/areas.geojson', status: 304 });
  });

  it('runs as the server\'s fetch job: the catalogue source at its configured address, its state in GET /api/sources', async () => {
    const previous = process.env.ATALAYA_SOURCE_INEI_DEPARTMENTS_URL;
    process.env.ATALAYA_SOURCE_INEI_DEPARTMENTS_URL = `${server.baseUrl}/wfs`;
    const ctx = createAnalysisContext(database.db, createLogger(loadConfig({ LOG_LEVEL: 'silent' })));
    try {
      registerFetchJob(database.db, ctx, dir);
      await ctx.jobs.start();
      const job = await ctx.jobs.enqueue(FETCH_JOB, { sources: ['inei-departments'] });
      await ctx.jobs.idle();
      const done = await ctx.jobs.get(job.id);
      expect(done.status).toBe('done');
      expect(done.message).toMatch(/^inei-departments: imported \(0 inserted, 7 updated as department\)$/);
      const listed = (await listSources(database.db)).find((s) => s.id === 'inei-departments')!;
      expect(listed.lastFetch).toMatchObject({ status: 'ok', features: 7, message: null });
      expect(listed.uncertain).toMatch(/unconfirmed/);
      expect(() => loadConfig({ ATALAYA_FETCH_SCHEDULE: 'every monday' })).toThrow(/cron pattern/);
      expect(() => loadConfig({ ATALAYA_FETCH_SCHEDULE: '0 3 * * 1' })).toThrow(/needs ATALAYA_FETCH_SOURCES/);
      expect(loadConfig({ ATALAYA_FETCH_SCHEDULE: '0 3 * * 1', ATALAYA_FETCH_SOURCES: 'hansen-lossyear,sernanp-anp' }).fetch).toEqual({ schedule: '0 3 * * 1', sources: ['hansen-lossyear', 'sernanp-anp'], bbox: undefined });
    } finally {
      await ctx.close();
      if (previous === undefined) delete process.env.ATALAYA_SOURCE_INEI_DEPARTMENTS_URL;
      else process.env.ATALAYA_SOURCE_INEI_DEPARTMENTS_URL = previous;
    }
  });

  it('names the Hansen tiles of a box as published, and stores those that exist as one mosaic', async () => {
    // Two 10-degree tiles at a coarse 0.1-degree pixel (100 x 100), the grid's neighbours absent (404).
    for (const [name, west, code] of [['00N_080W', -80, 5], ['00N_070W', -70, 9]] as const) {
      const pixels = new Uint8Array(100 * 100).fill(0);
      for (let i = 0; i < 100; i++) pixels[i * 100 + i] = code;
      server.state.tiles.set(`lossyear_${name}.tif`, Buffer.from(await encodeUint8GeoTiff({ west, north: 0, pixelSize: 0.1, width: 100, height: 100 }, pixels, name)));
    }
    const hansen = sourceSchema.parse({
      id: 'test-hansen', title: { en: 'Hansen', es: 'Hansen' }, protocol: 'tiles-10deg', urlTemplate: `${server.baseUrl}/tiles/{layer}_{tile}.tif`, layer: 'lossyear', version: 'test',
      target: { type: 'raster', kind: 'lossyear', name: 'hansen_test' }, licence: 'CC BY 4.0', attribution: 'Hansen/UMD/Google/USGS/NASA',
    });
    const dry = await fetchSource(database.db, hansen, { dataDir: dir, bbox: [-79.5, -12, -68.7, -0.5], dryRun: true, http });
    expect(dry.detail).toBe('tiles 00N_080W, 00N_070W, 10S_080W, 10S_070W');
    const r = await fetchSource(database.db, hansen, { dataDir: dir, bbox: [-79.5, -12, -68.7, -0.5], http });
    expect(r.status).toBe('imported');
    expect(r.detail).toMatch(/hansen_test \(200 x 100\) \(no file for 10S_080W, 10S_070W\)/);
    const layer = (await sql<{ properties: Record<string, unknown> }>`SELECT properties FROM raster_layer WHERE name = 'hansen_test'`.execute(database.db)).rows[0]!;
    expect(layer.properties).toMatchObject({ source: 'Hansen/UMD/Google/USGS/NASA', licence: 'CC BY 4.0', firstYear: 5, lastYear: 9 });
    const again = await fetchSource(database.db, hansen, { dataDir: dir, bbox: [-79.5, -12, -68.7, -0.5], http });
    expect(again.status).toBe('not_modified');
  });

  it('stores fetched alert tiles as an alert layer: GFW integrated, and GLAD-L with each tile\'s alertDate partner', async () => {
    const day = dayOf('2024-03-01');
    // GFW: one 10-degree tile at 0.1 degrees, three alerts (low, high, highest) on 2024-03-01.
    const gfw = new Uint16Array(100 * 100);
    [20000, 30000, 40000].forEach((c, i) => (gfw[i * 101] = c + day));
    server.state.tiles.set('date_conf_10S_070W.tif', Buffer.from(await encodeUint8GeoTiff({ west: -70, north: -10, pixelSize: 0.1, width: 100, height: 100 }, gfw, 'gfw')));
    const gfwSource = sourceSchema.parse({
      id: 'test-gfw', title: { en: 'GFW', es: 'GFW' }, protocol: 'tiles-10deg', urlTemplate: `${server.baseUrl}/tiles/{layer}_{tile}.tif`, layer: 'date_conf', version: 'latest',
      target: { type: 'alerts', alertSource: 'gfw-integrated' }, licence: 'CC BY 4.0', attribution: 'Global Forest Watch',
    });
    const r = await fetchSource(database.db, gfwSource, { dataDir: dir, bbox: [-69.5, -19.5, -60.5, -10.5], http });
    expect(r).toMatchObject({ status: 'imported', detail: 'stored as alert layer test_gfw: 3 alert pixels, 1 of 1 blocks changed' });
    const stored = (await sql<{ kind: string; properties: Record<string, unknown> }>`SELECT kind, properties FROM raster_layer WHERE name = 'test_gfw'`.execute(database.db)).rows[0]!;
    expect(stored).toMatchObject({ kind: 'alert', properties: { source: 'gfw-integrated', attribution: 'Global Forest Watch', licence: 'CC BY 4.0', firstDay: day, lastDay: day } });
    expect((await fetchSource(database.db, gfwSource, { dataDir: dir, bbox: [-69.5, -19.5, -60.5, -10.5], http })).status).toBe('not_modified');
    // GLAD-L 2024: classes and day of year, as two files per tile.
    const classes = new Uint8Array(100 * 100);
    const doy = new Uint16Array(100 * 100);
    classes[5] = 2;
    doy[5] = 61; // 2024-03-01 (a leap year)
    server.state.tiles.set('alert_10S_070W.tif', Buffer.from(await encodeUint8GeoTiff({ west: -70, north: -10, pixelSize: 0.1, width: 100, height: 100 }, classes, 'alert')));
    server.state.tiles.set('alertDate_10S_070W.tif', Buffer.from(await encodeUint8GeoTiff({ west: -70, north: -10, pixelSize: 0.1, width: 100, height: 100 }, doy, 'alertDate')));
    const glad = sourceSchema.parse({ ...gfwSource, id: 'test-glad', layer: 'alert', version: '2024', target: { type: 'alerts', alertSource: 'glad-l' } });
    const g = await fetchSource(database.db, glad, { dataDir: dir, bbox: [-69.5, -19.5, -60.5, -10.5], http });
    expect(g.urls).toEqual([`${server.baseUrl}/tiles/alert_10S_070W.tif`, `${server.baseUrl}/tiles/alertDate_10S_070W.tif`]);
    expect(g.detail).toBe('stored as alert layer test_glad: 1 alert pixels, 1 of 1 blocks changed');
    const gladLayer = (await sql<{ properties: Record<string, unknown> }>`SELECT properties FROM raster_layer WHERE name = 'test_glad'`.execute(database.db)).rows[0]!;
    expect(gladLayer.properties).toMatchObject({ firstDay: day, lastDay: day });
  });
});
