// The real starter layers a first start loads (data/starter): every file through the importer with
// its source and licence, each once, the mining raster as a loss layer of its own; the demo then
// keeps synthetic data only for what they do not cover.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { createLogger } from '../../server/log';
import { loadConfig } from '../../server/config';
import { generateDemoData } from '../../server/demo/generate';
import { ensureDemoRasterStore, loadDemoData } from '../../server/demo/load_demo';
import { ensureStarterLayers, loadStarterManifest, starterLoadedBefore } from '../../server/seed/starter_layers';
import { getAreaKinds, getContextLayers } from '../../server/services/features.service';
import { readContextPoints } from '../../server/seed/context_points';
import { RasterStores } from '../../server/services/rasters.service';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

describe(`the real starter layers on the ${testDatabaseKind()} database`, () => {
  let database: DatabaseHandle;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-starter-'));
  const log = createLogger(loadConfig({ LOG_LEVEL: 'silent' }));

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    // As a first start does: the demo without the kinds the starter layers cover, then the layers.
    const demo = path.join(dir, 'demo');
    await loadDemoData(database.db, demo, await generateDemoData({ outDir: demo, grid: { west: -70.3, north: -12.2, pixelSize: 0.002, width: 300, height: 250 } }), { omitKinds: loadStarterManifest().layers.map((l) => l.kind) });
    await ensureDemoRasterStore(database.db, { dataDir: dir }, log);
    expect(await starterLoadedBefore(database.db)).toBe(false);
    expect(await ensureStarterLayers(database.db, dir, log)).toBe(8);
  }, 240_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads each layer whole, with its source and licence, and synthetic data only where none is real', async () => {
    const kinds = new Map((await getAreaKinds(database.db)).map((k) => [k.code, k]));
    expect(Object.fromEntries([...kinds].map(([code, k]) => [code, k.count]))).toEqual({
      department: 25, province: 197, protected_area: 6, glacier_highland: 1255, watershed: 9, mining_footprint: 3579, forest_concession: 83,
    });
    expect(kinds.get('protected_area')!.sources).toEqual([{ source: 'SERNANP (EcoSelva Madre de Dios)', licence: 'cite SERNANP', synthetic: false }]);
    expect(kinds.get('glacier_highland')!.sources).toEqual([{ source: 'RGI 7.0 Consortium', licence: 'CC BY 4.0', synthetic: false }]);
    expect(kinds.get('forest_concession')!.sources[0]!.synthetic).toBe(true); // no real concessions ship
    expect(kinds.get('mining_footprint')!.label).toEqual({ en: 'Mining footprint (AMW)', es: 'Huella minera (AMW)' });
    const names = (await sql<{ kind: string; source_id: string; name: string; properties: Record<string, unknown> }>`
      SELECT kind, source_id, name, properties FROM area WHERE source_id IN ('RN09', '6080546500', '17') AND kind IN ('protected_area', 'watershed', 'department') ORDER BY kind`.execute(database.db)).rows;
    expect(names.map((n) => [n.kind, n.name])).toEqual([['department', 'MADRE DE DIOS'], ['protected_area', 'Reserva Nacional Tambopata'], ['watershed', 'HydroBASINS 6080546500']]);
    expect(names.find((n) => n.kind === 'protected_area')!.properties).toMatchObject({ category: 'Reserva Nacional' }); // the legend's attribute
  });

  it('stores the mining first-year raster as its own loss layer, never called Hansen', async () => {
    const layers = await new RasterStores(database.db).list();
    const amw = layers.find((l) => l.name === 'amw_mining_first_year')!;
    expect(amw).toMatchObject({ kind: 'lossyear', ready: true, default: false, version: '2025Q3' });
    expect(amw.attributes).toMatchObject({ source: 'Earth Genome / Amazon Mining Watch', licence: 'CC BY 4.0', methodology: [], firstYear: 18, lastYear: 25 });
    expect(layers.find((l) => l.default)!.name).toBe('demo_lossyear');
  });

  it('keeps the GEF project locations as a context layer of points, with source and licence, not as activities', async () => {
    expect(await getContextLayers(database.db)).toEqual([
      { code: 'gef_projects', label: { en: 'Other cooperation: GEF projects (AidData)', es: 'Otra cooperación: proyectos del GEF (AidData)' }, source: 'AidData, GEF geocoded release v1.1.0', licence: 'ODC-By 1.0', count: 19, collection: 'context_gef_projects' },
    ]);
    const chimbote = (await sql<{ name: string; lon: number; lat: number; properties: Record<string, unknown> }>`
      SELECT name, ST_X(geom) AS lon, ST_Y(geom) AS lat, properties FROM context_point WHERE source_id = '906001192237_8350321'`.execute(database.db)).rows[0]!;
    expect(chimbote).toMatchObject({ lon: -78.40119, lat: -8.87769, properties: { place_name: 'Chimbote', precision_code: '2', start_actual_isodate: '1997-01-11' } });
    expect(chimbote.name).toMatch(/^A Participatory Approach to Managing the Environment/);
    expect(Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM activity WHERE title LIKE 'A Participatory Approach%'`.execute(database.db)).rows[0]!.n)).toBe(0);
  });

  it('refuses a context file that is not points in longitude/latitude, naming the file and feature', () => {
    const spec = loadStarterManifest().points[0]!;
    const collection = (geometry: unknown) => JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { project_location_id: 'a', project_title: 'T' }, geometry }] });
    expect(() => readContextPoints(collection({ type: 'Polygon', coordinates: [] }), spec)).toThrow(/aiddata_gef_projects_peru_locations\.geojson: feature 0 is not a Point/);
    expect(() => readContextPoints(collection({ type: 'Point', coordinates: [500000, 8_900_000] }), spec)).toThrow(/not longitude\/latitude in EPSG:4326/);
    expect(() => readContextPoints('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-75,-10]}}]}', spec)).toThrow(/no "project_location_id"/);
  });

  it('loads nothing twice', async () => {
    const before = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM area`.execute(database.db)).rows[0]!.n);
    expect(await ensureStarterLayers(database.db, dir, log)).toBe(0);
    expect(await starterLoadedBefore(database.db)).toBe(true);
    expect(Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM area`.execute(database.db)).rows[0]!.n)).toBe(before);
  });
});
