// The vector data of BENCH.md, generated in SQL and deterministic: concessions as 225-vertex
// rectangles on a lowland grid, protected areas as 225-vertex discs, sites as points (80 %), lines
// and small polygons over the same region. Triggers are off while loading (the caller runs what it
// needs afterwards: links, generalised outlines). Areas live in area_row behind the `area` view.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/db/schema';

export async function seedBenchVectors(db: Kysely<Database>, n: { concessions: number; protected: number; sites: number }): Promise<void> {
  await sql`ALTER TABLE area_row DISABLE TRIGGER USER`.execute(db);
  await sql`ALTER TABLE site DISABLE TRIGGER USER`.execute(db);
  await sql`INSERT INTO area (kind, source_id, name, properties, geom, area_ha)
    SELECT 'forest_concession', 'c' || i, 'Concession ' || i, jsonb_build_object('concession_type', (ARRAY['timber', 'brazil_nut', 'conservation'])[i % 3 + 1], 'status', 'active'), g, ST_Area(g::geography) / 1e4 FROM (
      SELECT i, ST_Multi(ST_Segmentize(ST_MakeEnvelope(-76 + (i % 200) * 0.04, -4 - (i / 200) * 0.04 - 0.032, -76 + (i % 200) * 0.04 + 0.032, -4 - (i / 200) * 0.04, 4326), 0.032 / 56)) AS g
      FROM generate_series(0, ${n.concessions - 1}) i) q`.execute(db);
  await sql`INSERT INTO area (kind, source_id, name, properties, geom, area_ha)
    SELECT 'protected_area', 'p' || i, 'Protected ' || i, jsonb_build_object('category', 'Reserva Nacional', 'iucn', 'VI'), g, ST_Area(g::geography) / 1e4 FROM (
      SELECT i, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(-76 + (i * 7919 % 800) / 100.0, -4 - (i * 104729 % 400) / 100.0), 4326), 0.05 + (i % 7) * 0.02, 'quad_segs=56')) AS g
      FROM generate_series(0, ${n.protected - 1}) i) q`.execute(db);
  await sql`INSERT INTO activity (code, title, priority_area_code, lead_agency, funding_status, status, published) VALUES ('BENCH', 'Bench', 'B', 'bench', 'funded', 'ongoing', true)`.execute(db);
  await sql`INSERT INTO site (activity_id, name, kind, geom)
    SELECT (SELECT id FROM activity WHERE code = 'BENCH'), 's' || i, 'site', CASE
      WHEN i % 10 < 8 THEN ST_SetSRID(ST_MakePoint(x, y), 4326)
      WHEN i % 10 = 8 THEN ST_SetSRID(ST_MakeLine(ST_MakePoint(x, y), ST_MakePoint(x + 0.05, y - 0.03)), 4326)
      ELSE ST_Buffer(ST_SetSRID(ST_MakePoint(x, y), 4326), 0.01, 'quad_segs=8') END
    FROM (SELECT i, -76.2 + (i * 7907 % 8400) / 1000.0 AS x, -3.8 - (i * 7877 % 4400) / 1000.0 AS y FROM generate_series(0, ${n.sites - 1}) i) q`.execute(db);
  await sql`ALTER TABLE area_row ENABLE TRIGGER USER`.execute(db);
  await sql`ALTER TABLE site ENABLE TRIGGER USER`.execute(db);
}
