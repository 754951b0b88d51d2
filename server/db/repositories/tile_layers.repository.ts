// Versions of the vector tile layers (bumped by triggers on every change, migration 0008) and the
// extent of a layer's data.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';
import type { LayerSource } from '../tiles/mvt_layers';

/** Every layer's version: areas, sites, activities. */
export async function tileLayerVersions(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db.selectFrom('tile_layer_version').select(['layer', 'version']).execute();
  return new Map(rows.map((r) => [r.layer, Number(r.version)]));
}

/** One layer's version (0 before its first change). */
export async function tileLayerVersion(db: Kysely<Database>, layer: string): Promise<number> {
  const row = await db.selectFrom('tile_layer_version').select('version').where('layer', '=', layer).executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** The bbox of a layer's features, or null when it has none. */
export async function layerExtent(db: Kysely<Database>, src: Pick<LayerSource, 'geom4326' | 'from' | 'where'>): Promise<[number, number, number, number] | null> {
  const ext = (await sql<{ xmin: number | null; ymin: number; xmax: number; ymax: number }>`
    SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
    FROM (SELECT ST_Extent(${src.geom4326}) AS e FROM ${src.from} WHERE ${src.where}) s`.execute(db)).rows[0];
  return ext?.xmin != null ? [ext.xmin, ext.ymin, ext.xmax, ext.ymax] : null;
}
