import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromFile } from 'geotiff';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { generateDemoData, type DemoManifest } from '../../server/demo/generate';
import { ensureDemoFiles, loadDemoData } from '../../server/demo/load_demo';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

// The real generator on a small raster grid (the default 4800 x 4000 takes half a minute to write).
const smallGrid = { west: -69.8, north: -12.5, pixelSize: 0.00025, width: 400, height: 300 };

async function counts(database: DatabaseHandle) {
  const { rows } = await sql<{ areas: number; activities: number; sites: number; rasters: number; sources: number }>`
    SELECT (SELECT count(*)::int FROM area) AS areas, (SELECT count(*)::int FROM activity) AS activities,
           (SELECT count(*)::int FROM site) AS sites, (SELECT count(*)::int FROM raster_layer) AS rasters,
           (SELECT count(*)::int FROM import_source) AS sources`.execute(database.db);
  return rows[0]!;
}

describe(`demo data on the ${testDatabaseKind()} database`, () => {
  let database: DatabaseHandle;
  let dir: string;
  let manifest: DemoManifest;
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-demo-'));
    manifest = await generateDemoData({ outDir: dir, grid: smallGrid });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the same bytes for the same seed', async () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-demo-'));
    try {
      await generateDemoData({ outDir: again, grid: smallGrid });
      for (const f of Object.values(manifest.files)) {
        expect(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(dir, f))), f).toBe(true);
      }
      // ensureDemoFiles reuses files of the current generator version instead of rewriting them.
      const before = fs.statSync(path.join(dir, manifest.files.lossyear)).mtimeMs;
      await ensureDemoFiles(dir);
      expect(fs.statSync(path.join(dir, manifest.files.lossyear)).mtimeMs).toBe(before);
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it('writes georeferenced single-band uint8 GeoTIFFs in EPSG:4326', async () => {
    const tiff = await fromFile(path.join(dir, manifest.files.lossyear));
    const image = await tiff.getImage();
    expect([image.getWidth(), image.getHeight(), image.getSamplesPerPixel(), image.getBitsPerSample()]).toEqual([400, 300, 1, 8]);
    expect(image.getGeoKeys()?.GeographicTypeGeoKey).toBe(4326);
    const [w, s, e, n] = image.getBoundingBox();
    expect(w).toBeCloseTo(-69.8, 9);
    expect(n).toBeCloseTo(-12.5, 9);
    expect(e).toBeCloseTo(-69.7, 9);
    expect(s).toBeCloseTo(-12.575, 9);
    const [band] = (await image.readRasters()) as unknown as [Uint8Array];
    expect(Math.max(...band)).toBeLessThanOrEqual(23);
  });

  it('loads everything in one go and re-loading updates instead of duplicating', async () => {
    await loadDemoData(database.db, dir, manifest);
    const first = await counts(database);
    expect(first).toEqual({ areas: manifest.counts.areas, activities: manifest.counts.activities, sites: manifest.counts.sites, rasters: 2, sources: 1 });
    await loadDemoData(database.db, dir, manifest);
    expect(await counts(database)).toEqual(first);
    const kinds = await database.db.selectFrom('area').select('kind').distinct().orderBy('kind').execute();
    expect(kinds.map((k) => k.kind)).toEqual(['forest_concession', 'glacier_highland', 'protected_area', 'watershed']);
    const raster = await database.db.selectFrom('raster_layer').selectAll().where('name', '=', 'demo_lossyear').executeTakeFirstOrThrow();
    expect(raster).toMatchObject({ kind: 'lossyear', width: 400, height: 300, pixel_size_deg: 0.00025 });
    expect(raster.properties).toMatchObject({ synthetic: true });
  });

  it('leaves the database as it was when any part of the load fails', async () => {
    const before = await counts(database);
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-demo-broken-'));
    try {
      for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(broken, f));
      // Change the areas (so their upserts would modify rows), then break the last activity.
      const areas = JSON.parse(fs.readFileSync(path.join(broken, manifest.files.areas), 'utf8'));
      for (const f of areas.features) f.properties.name = 'CHANGED';
      fs.writeFileSync(path.join(broken, manifest.files.areas), JSON.stringify(areas));
      const activities = JSON.parse(fs.readFileSync(path.join(broken, manifest.files.activities), 'utf8'));
      activities.at(-1).actionAreas = ['Z9'];
      fs.writeFileSync(path.join(broken, manifest.files.activities), JSON.stringify(activities));
      await expect(loadDemoData(database.db, broken, manifest)).rejects.toThrow();
      expect(await counts(database)).toEqual(before);
      const changed = await database.db.selectFrom('area').select('id').where('name', '=', 'CHANGED').execute();
      expect(changed).toHaveLength(0);
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });
});
