// The raster layer registry (raster_layer): which layers exist, their stores and partners.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export interface RasterLayerRow {
  id: number;
  name: string;
  kind: string;
  version: string | null;
  properties: Record<string, unknown>;
  created_at: Date;
}

const layerColumns = ['id', 'name', 'kind', 'version', 'properties', 'created_at'] as const;

/** A layer by id (a number, or digits) or by name. */
export function findRasterLayer(db: Kysely<Database>, ref: string | number): Promise<RasterLayerRow | undefined> {
  const byId = typeof ref === 'number' || /^\d+$/.test(ref);
  return db
    .selectFrom('raster_layer')
    .select(layerColumns)
    .where((eb) => (byId ? eb('id', '=', Number(ref)) : eb('name', '=', String(ref))))
    .executeTakeFirst();
}

/** Every layer of a kind, oldest first. */
export function rasterLayersOfKind(db: Kysely<Database>, kind: string): Promise<RasterLayerRow[]> {
  return db.selectFrom('raster_layer').select(layerColumns).where('kind', '=', kind).orderBy('id').execute();
}

/** Every layer with all its columns, by name. */
export function listRasterLayers(db: Kysely<Database>) {
  return db.selectFrom('raster_layer').selectAll().orderBy('name').execute();
}

/** Registers a layer, or replaces the one of that name; its extent is the store's bounds in 4326. */
export function upsertRasterLayer(
  db: Kysely<Database>,
  layer: { name: string; kind: string; version: string | null; files: string; width: number; height: number; pixel_size_deg: number; bounds: { west: number; south: number; east: number; north: number }; properties: string },
) {
  const { bounds, ...rest } = layer;
  const values = { ...rest, extent: sql<string>`ST_MakeEnvelope(${bounds.west}, ${bounds.south}, ${bounds.east}, ${bounds.north}, 4326)` };
  return db
    .insertInto('raster_layer')
    .values(values)
    .onConflict((oc) => oc.column('name').doUpdateSet(values))
    .returning(['id', 'name', 'kind', 'width', 'height'])
    .executeTakeFirstOrThrow();
}

/** A layer's id, source files and properties by name. */
export function rasterLayerFiles(db: Kysely<Database>, name: string) {
  return db.selectFrom('raster_layer').select(['id', 'files', 'properties']).where('name', '=', name).executeTakeFirst();
}

export async function setRasterLayerProperties(db: Kysely<Database>, id: number, properties: Record<string, unknown>): Promise<void> {
  await db.updateTable('raster_layer').set({ properties: JSON.stringify(properties) }).where('id', '=', id).execute();
}
