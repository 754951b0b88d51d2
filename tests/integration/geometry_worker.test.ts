// The geometry worker's repair and geodesic buffer against PostGIS's own ST_MakeValid and
// ST_Buffer(geography, m, 'quad_segs=16'), which stored sites' statistics still use: a drawn shape
// and the same shape saved as a site must give the same polygon.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { GeometryPool } from '../../server/geometry/geometry_pool';
import { getTestDatabase, testDatabaseKind } from '../helpers/test_database';

const shapes: [string, unknown][] = [
  ['a point in Madre de Dios (UTM 19S)', { type: 'Point', coordinates: [-69.9, -12.6] }],
  ['a line across a UTM zone boundary', { type: 'LineString', coordinates: [[-72.3, -10.2], [-71.7, -10.1]] }],
  ['a concession polygon', { type: 'Polygon', coordinates: [[[-75.1, -8.3], [-74.9, -8.31], [-74.92, -8.1], [-75.08, -8.12], [-75.1, -8.3]]] }],
  ['a corridor 10 degrees long (LAEA zone)', { type: 'LineString', coordinates: [[-80, -5], [-70, -8]] }],
];

describe(`geometry worker vs PostGIS (${testDatabaseKind()} database)`, () => {
  let database: DatabaseHandle;
  const pool = new GeometryPool({ timeLimitMs: 20_000 });
  beforeAll(async () => {
    database = await getTestDatabase();
  });
  afterAll(async () => pool.close());

  it.each(shapes)('buffers %s by 5 km onto the same polygon', async (_name, geometry) => {
    const worker = (await pool.run({ geometry, bufferM: 5000, polygonsOnly: true })).geometry;
    const r = await sql<{ a_worker: number; a_postgis: number; diff: number; hausdorff: number }>`
      WITH w AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(worker)}), 4326) AS g),
      p AS (SELECT ST_Buffer(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)::geography, 5000, 'quad_segs=16')::geometry AS g)
      SELECT ST_Area(w.g::geography) AS a_worker, ST_Area(p.g::geography) AS a_postgis,
        ST_Area(ST_SymDifference(w.g, p.g)::geography) AS diff,
        ST_HausdorffDistance(ST_Transform(w.g, 32719), ST_Transform(p.g, 32719)) AS hausdorff
      FROM w, p`.execute(database.db);
    const row = r.rows[0]!;
    expect(row.diff / row.a_postgis).toBeLessThan(1e-6);
    expect(row.hausdorff).toBeLessThan(0.05); // metres
  });

  it('repairs an invalid polygon as ST_MakeValid does, and says why it was invalid', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[-70, -12], [-69, -11], [-69, -12], [-70, -11], [-70, -12]]] };
    const w = await pool.run({ geometry: bowtie, bufferM: 0, polygonsOnly: true });
    expect(w.valid).toBe(false);
    expect(w.reason).toMatch(/Self-intersection/);
    const r = await sql<{ diff: number }>`
      SELECT ST_Area(ST_SymDifference(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(w.geometry)}), 4326),
        ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(bowtie)}), 4326)), 3))) AS diff`.execute(database.db);
    expect(r.rows[0]!.diff).toBeLessThan(1e-12);
  });
});
