// Imports stage, write their new areas invisibly, publish, then settle (links, provenance, replaced
// outlines). A process killed after its publishing transaction but before settling leaves areas that
// the next start completes; a process killed before publishing leaves staging rows and invisible
// areas, which the next start drops.
import os from 'node:os';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { beginImportRun, discardImportRun, publishStagedAreas, settleImportRun, stageBatch, writePendingAreas } from '../../server/db/repositories/imports.repository';
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

  it('settles a run that had published, and drops one that had not with its invisible areas', async () => {
    const host = os.hostname();
    await beginImportRun(database.db, { id: 'published-run', host, pid: DEAD_PID, kind: 'protected_area' });
    await stageBatch(database.db, { runId: 'published-run', target: 'areas', activityId: null, srid: 4326, rows: [0, 1, 2].map(feature) });
    await writePendingAreas(database.db, { runId: 'published-run', kind: 'protected_area' });
    expect(await count('area')).toBe(0); // written, not yet visible
    const source = await database.db.insertInto('import_source').values({ file_name: 'f', content_hash: 'h', layer: 'l', licence: null, source: null, target: 'areas:protected_area', format: 'geojson', srid: 4326, report: '{}' }).returning('id').executeTakeFirstOrThrow();
    await database.db.transaction().execute((trx) => publishStagedAreas(trx, { runId: 'published-run', kind: 'protected_area', importSourceId: source.id }));
    await beginImportRun(database.db, { id: 'unpublished-run', host, pid: DEAD_PID, kind: 'protected_area' });
    await stageBatch(database.db, { runId: 'unpublished-run', target: 'areas', activityId: null, srid: 4326, rows: [5, 6].map(feature) });
    await writePendingAreas(database.db, { runId: 'unpublished-run', kind: 'protected_area' });
    // As a kill leaves them: three visible areas whose provenance is not set yet, two invisible ones, five staged rows.
    expect(await count('area')).toBe(3);
    expect(await count('area_row')).toBe(5);
    expect(await count('area WHERE import_source_id IS NULL')).toBe(3);
    expect(await count('area_tile_geom')).toBe(5 * 4); // four zoom bands each, hidden with their areas
    expect(await count('import_stage')).toBe(5);

    expect(await dropAbandonedImports(database.db)).toBe(2);
    expect(await count('area')).toBe(3); // the unpublished run's rows never appear
    expect(await count('area_row')).toBe(3);
    expect(await count(`area WHERE import_source_id = ${source.id}`)).toBe(3);
    expect(await count('area_tile_geom')).toBe(3 * 4);
    expect(await count('import_stage')).toBe(0);
    expect(await count('import_stage_tile')).toBe(0);
    // The published run stays (its areas are visible through it), settled; a later start leaves it be.
    expect(await count('import_run WHERE settled_at IS NOT NULL')).toBe(1);
    expect(await count('import_run')).toBe(1);
    expect(await dropAbandonedImports(database.db)).toBe(0);
  });

  it('updates an existing area in place in the publishing transaction, keeping its id', async () => {
    const before = await database.db.selectFrom('area').select(['id', 'name']).where('source_id', '=', 's0').executeTakeFirstOrThrow();
    const host = os.hostname();
    await beginImportRun(database.db, { id: 'second-run', host, pid: process.pid, kind: 'protected_area' });
    await stageBatch(database.db, { runId: 'second-run', target: 'areas', activityId: null, srid: 4326, rows: [{ ...feature(0), name: 'Renamed' }, feature(1), feature(9)] });
    await writePendingAreas(database.db, { runId: 'second-run', kind: 'protected_area' });
    const source = await database.db.insertInto('import_source').values({ file_name: 'g', content_hash: 'h2', layer: 'l', licence: null, source: null, target: 'areas:protected_area', format: 'geojson', srid: 4326, report: '{}' }).returning('id').executeTakeFirstOrThrow();
    const published = await database.db.transaction().execute((trx) => publishStagedAreas(trx, { runId: 'second-run', kind: 'protected_area', importSourceId: source.id }));
    expect(published).toEqual({ inserted: 1, updated: 2 });
    const after = await database.db.selectFrom('area').select(['id', 'name']).where('source_id', '=', 's0').executeTakeFirstOrThrow();
    expect(after).toEqual({ id: before.id, name: 'Renamed' });
    expect(await count('area')).toBe(4);
    await settleImportRun(database.db, 'second-run');
    await discardImportRun(database.db, 'second-run');
    expect(await count('import_stage')).toBe(0);
  });
});
