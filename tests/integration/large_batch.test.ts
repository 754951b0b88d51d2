// A statistics batch over 150,000 subjects: its writes stay under PostgreSQL's 65,535 bind
// parameters per statement (a batch once failed with "bind message has 9536 parameter formats but
// 0 parameters"), and every subject ends with a stored series.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZonalPool } from '../../server/analysis/zonal/zonal_pool';
import type { DatabaseHandle } from '../../server/db/database';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { RasterStores } from '../../server/services/rasters.service';
import { resolveLayers } from '../../server/services/loss_layers';
import { refreshSubjects } from '../../server/services/loss_statistics.service';
import { registerRasterLayer } from '../../server/services/raster_layers.service';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const SUBJECTS = 150_000;
const grid = { west: -71, north: -11, pixelSize: 1 / 400, width: 400, height: 400 };

describe(`a statistics batch over ${SUBJECTS.toLocaleString('en')} subjects (${testDatabaseKind()} database)`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-batch-'));
  let database: DatabaseHandle;
  const pool = new ZonalPool(2);

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    const loss = new Uint8Array(grid.width * grid.height).map((_, i) => (i % 5 === 0 ? 1 + (i % 23) : 0));
    fs.writeFileSync(path.join(dir, 'loss.tif'), await encodeUint8GeoTiff(grid, loss, 'loss'));
    await registerRasterLayer(database.db, { files: [path.join(dir, 'loss.tif')], kind: 'lossyear', name: 'loss', version: 'batch-1', dataDir: dir });
    // 150,000 squares of 0.002 degree (a few pixels each) tiling the raster, in one statement.
    await sql`INSERT INTO area (kind, source_id, name, properties, geom, area_ha)
      SELECT 'forest_concession', 'b' || i, 'B' || i, '{}'::jsonb, g, ST_Area(g::geography, true) / 10000.0
      FROM (SELECT i, ST_Multi(ST_MakeEnvelope(-71 + (i % 400) * 0.0025, -12 + (i / 400) * 0.0025,
              -71 + (i % 400) * 0.0025 + 0.002, -12 + (i / 400) * 0.0025 + 0.002, 4326)) AS g
            FROM generate_series(0, ${SUBJECTS - 1}) AS i) s`.execute(database.db);
  }, 600_000);
  afterAll(async () => {
    await pool.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('computes and stores every series', async () => {
    const layers = await resolveLayers(database.db, { layer: 'loss', treecover: null });
    const result = await refreshSubjects(database.db, new RasterStores(database.db), pool, { subject: 'area' }, layers, 0);
    expect(result.failed).toEqual([]);
    expect(result.computed).toBe(SUBJECTS);
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM loss_statistic WHERE subject = 'area'`.execute(database.db);
    expect(stored.rows[0]!.n).toBe(SUBJECTS);
    // A second run finds nothing to do: every stored series is current.
    expect((await refreshSubjects(database.db, new RasterStores(database.db), pool, { subject: 'area' }, layers, 0)).computed).toBe(0);
  }, 900_000);
});
