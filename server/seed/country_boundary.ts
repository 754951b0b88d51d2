import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { upsertCountryBoundary } from '../db/repositories/country_boundary.repository';
import { peruOutline } from './peru_outline';

/** Peru's boundary (Natural Earth 1:50m via world-atlas), to tell the Peruvian part of shared watersheds. */
export async function seedCountryBoundary(db: Kysely<Database>): Promise<void> {
  const outline = peruOutline();
  await upsertCountryBoundary(db, { iso3: 'PER', name: 'Perú', source: outline.properties.source, geojson: JSON.stringify(outline.geometry) });
}
