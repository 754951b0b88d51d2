// Zonal statistics on real data (../shared/data): the derived mining-year raster of Madre de Dios
// against the SERNANP protected areas and the HydroBASINS basins (the basins imported from a PSAD56
// UTM 19S shapefile, so the polygons went through a datum shift first). Per-year pixel counts must
// equal GDAL's (RasterizeLayer + bincount on the same polygons, as PostGIS hands them out).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonalLossOfGeometry } from '../../server/analysis/zonal/zonal_loss';
import type { DatabaseHandle } from '../../server/db/database';
import { importFeatureFile } from '../../server/import/feature_importer';
import { BlockStore } from '../../server/raster/block_store';
import { registerRasterLayer } from '../../server/services/raster_layers.service';
import { gdalZonal, hasGdalPython } from '../helpers/gdal_reference';
import { hasSharedData, sharedData } from '../helpers/shared_data';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const raster = () => path.join(sharedData, 'deforestation/amw_mining_firstyear_madre_de_dios_derived.tif');

describe.skipIf(!hasSharedData || !hasGdalPython)(`zonal statistics on the real Madre de Dios raster (${testDatabaseKind()} database)`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-zreal-'));
  let database: DatabaseHandle;
  let store: BlockStore;
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    await registerRasterLayer(database.db, { files: [raster()], kind: 'lossyear', name: 'amw', dataDir: dir });
    store = new BlockStore(path.join(dir, 'rasters', 'amw'));
    await importFeatureFile(database.db, path.join(sharedData, 'protected_areas/sernanp_anp_madre_de_dios_ecoselva.geojson'), { type: 'areas', kind: 'protected_area' }, { idField: 'codigo' });
    await importFeatureFile(database.db, path.join(sharedData, 'formats/hydrobasins_madre_de_dios_psad56_utm19s_shapefile_latin1.zip'), { type: 'areas', kind: 'watershed' }, { idField: 'HYBAS_ID' });
  }, 180_000);
  afterAll(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts exactly the pixels GDAL counts, year by year, for every protected area and basin', async () => {
    const { rows } = await sql<{ name: string; kind: string; g: string }>`SELECT name, kind, ST_AsGeoJSON(geom, 15) AS g FROM area ORDER BY id`.execute(database.db);
    expect(rows.length).toBe(15);
    const geometries = rows.map((r) => JSON.parse(r.g));
    const reference = gdalZonal(raster(), geometries);
    let lossPixels = 0;
    rows.forEach((r, i) => {
      const ours = zonalLossOfGeometry(geometries[i], { loss: store });
      const gdal = reference[i]!;
      const counts: Record<string, number> = {};
      ours.lossPixels.forEach((n, code) => {
        if (n) counts[String(code)] = n;
      });
      const expected = { ...gdal.counts };
      if (gdal.nodata) expected['0'] = (expected['0'] ?? 0) + gdal.nodata; // stored as "no loss"
      expect({ area: r.name, pixels: ours.coveredPixels, counts }).toEqual({ area: r.name, pixels: gdal.pixels, counts: expected });
      lossPixels += ours.coveredPixels - (ours.lossPixels[0] ?? 0);
    });
    expect(lossPixels).toBeGreaterThan(1000); // the comparison covered real mining pixels, not only zeros
  });
});
