// PostGIS's catalogue of coordinate systems, read to identify a file's CRS by name.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/** Every EPSG code with the name at the head of its WKT (e.g. "WGS 84 / UTM zone 19S"). */
export async function epsgNames(db: Kysely<Database>): Promise<{ srid: number; name: string }[]> {
  const { rows } = await sql<{ srid: number; name: string }>`
    SELECT srid, substring(srtext from '^[A-Z]+\\["([^"]+)"') AS name
    FROM spatial_ref_sys WHERE auth_name = 'EPSG'`.execute(db);
  return rows;
}

/** Whether PostGIS knows the code (so ST_Transform can use it). */
export async function sridExists(db: Kysely<Database>, srid: number): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM spatial_ref_sys WHERE srid = ${srid}`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
}
