// Imports stage, publish, then place tile outlines. A process killed after its publishing
// transaction but before the outlines were in place leaves areas that the next start completes; a
// process killed before publishing leaves only staging rows, which the next start drops.
import os from 'node:os';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { beginImportRun, publishStagedAreas, stageBatch } from '../../server/db/repositories/imports.repository';
import { dropAbandonedImports } from '../../server/services/imports.service';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const DEAD_PID = 4_194_000; // above any pid this machine hands out

const feature = (i: number) => ({
  index: i,
  sourceId: `s${i}`,
  name: `Staged ${i}`,
  properties: {},
  geometryKind: 'geojson' as const,
  geometry: JSON.stringify({ type: 'Polygon', coordinates: [[[-72 + i * 0.1, -10], [-71.95 + i * 0.1, -10], [-71.95 + i * 0.1, -9.95], [-72 + i * 0.1, -9.95], [-72 + i * 0.1, -10]]] }),
});

describe(`import runs left by a killed process (${testDatabaseKind()} database)`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
  });
  const count = async (q: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(q)}`.execute(database.db)).rows[0]!.n;

  it('finishes the tile outlines of a run that had published, and drops one that had not', async () => {
    const host = os.hostname();
    await beginImportRun(database.db, { id: 'published-run', host, pid: DEAD_PID, kind: 'protected_area' });
    await stageBatch(database.db, { runId: 'published-run', target: 'areas', activityId: null, srid: 4326, rows: [0, 1, 2].map(feature) });
    const source = await database.db.insertInto('import_source').values({ file_name: 'f', content_hash: 'h', layer: 'l', licence: null, source: null, target: 'areas:protected_area', format: 'geojson', srid: 4326, report: '{}' }).returning('id').executeTakeFirstOrThrow();
    await database.db.transaction().execute((trx) => publishStagedAreas(trx, { runId: 'published-run', kind: 'protected_area', importSourceId: source.id }));
    await beginImportRun(database.db, { id: 'unpublished-run', host, pid: DEAD_PID, kind: 'protected_area' });
    await stageBatch(database.db, { runId: 'unpublished-run', target: 'areas', activityId: null, srid: 4326, rows: [5, 6].map(feature) });
    // As a kill leaves them: three areas without outlines, five staged rows, two runs.
    expect(await count('area')).toBe(3);
    expect(await count('area_tile_geom')).toBe(0);
    expect(await count('import_stage')).toBe(5);

    expect(await dropAbandonedImports(database.db)).toBe(2);
    expect(await count('area')).toBe(3); // the unpublished run's rows never appear
    expect(await count('area_tile_geom')).toBe(3 * 4); // four zoom bands each
    expect(await count('import_stage')).toBe(0);
    expect(await count('import_stage_tile')).toBe(0);
    expect(await count('import_run')).toBe(0);
  });
});
