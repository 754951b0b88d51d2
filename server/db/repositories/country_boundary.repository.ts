import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/** Writes (or replaces) a country's boundary, made valid and multi. */
export async function upsertCountryBoundary(db: Kysely<Database>, c: { iso3: string; name: string; source: string; geojson: string }): Promise<void> {
  const geom = sql<string>`ST_Multi(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${c.geojson}), 4326)))`;
  await db
    .insertInto('country_boundary')
    .values({ iso3: c.iso3, name: c.name, source: c.source, geom })
    .onConflict((oc) => oc.column('iso3').doUpdateSet({ name: c.name, source: c.source, geom }))
    .execute();
}
