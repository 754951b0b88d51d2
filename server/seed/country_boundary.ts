import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { peruOutline } from './peru_outline';

/** Peru's boundary (Natural Earth 1:50m via world-atlas), to tell the Peruvian part of shared watersheds. */
export async function seedCountryBoundary(db: Kysely<Database>): Promise<void> {
  const outline = peruOutline();
  const geom = sql<string>`ST_Multi(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(outline.geometry)}), 4326)))`;
  await db
    .insertInto('country_boundary')
    .values({ iso3: 'PER', name: 'Perú', source: outline.properties.source, geom })
    .onConflict((oc) => oc.column('iso3').doUpdateSet({ name: 'Perú', source: outline.properties.source, geom }))
    .execute();
}
