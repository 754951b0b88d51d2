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
import { getAreaKinds } from '../../server/services/features.service';
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
    expect(await ensureStarterLayers(database.db, dir, log)).toBe(7);
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

  it('loads nothing twice', async () => {
    const before = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM area`.execute(database.db)).rows[0]!.n);
    expect(await ensureStarterLayers(database.db, dir, log)).toBe(0);
    expect(await starterLoadedBefore(database.db)).toBe(true);
    expect(Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM area`.execute(database.db)).rows[0]!.n)).toBe(before);
  });
});
