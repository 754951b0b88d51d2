// The two ways to make a tile from the same rows: ST_AsMVT on a PostGIS built with protobuf, and
// clipped, tile-space geometry for the Node encoder where it is not (the embedded PostGIS). Both
// query with the tile envelope grown by the buffer (the query bounds) and clip to the same.
import { sql, type RawBuilder } from 'kysely';
import { layerSource, TILE_BUFFER, TILE_EXTENT, type TileLayer } from './mvt_layers';

function envelope(z: number, x: number, y: number) {
  return sql`SELECT ST_TileEnvelope(${z}, ${x}, ${y}) AS t, ST_TileEnvelope(${z}, ${x}, ${y}, margin => ${sql.lit(TILE_BUFFER / TILE_EXTENT)}) AS m`;
}

export function mvtQuery(layer: TileLayer, name: string, z: number, x: number, y: number, options: { rawOutlines?: boolean } = {}): RawBuilder<{ mvt: Uint8Array | null }> {
  const src = layerSource(layer, z, options);
  return sql<{ mvt: Uint8Array | null }>`
    WITH env AS (${envelope(z, x, y)}),
    q AS (
      SELECT ${src.select}, ST_AsMVTGeom(${src.geom3857}, env.t, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
      FROM ${src.from}, env WHERE ${src.where} AND ${src.intersects(sql`env.m`)}
    )
    SELECT ST_AsMVT(q.*, ${name}, ${TILE_EXTENT}, 'geom'${src.idColumn ? sql`, ${src.idColumn}` : sql``}) AS mvt FROM q WHERE q.geom IS NOT NULL`;
}

/**
 * Tile-space geometry without protobuf: clipped to the buffered tile, moved to 0..4096 with y down,
 * snapped to the integer grid with GEOS's precision reducer (which keeps polygons valid), parts of a
 * lower dimension dropped (the geometry is reprojected once per row, in the lateral), exterior rings turned to MVT's winding (clockwise on screen = CCW in
 * these y-down numbers). What ST_AsMVTGeom does, in steps any PostGIS has.
 */
export function tileGeometryQuery(layer: TileLayer, z: number, x: number, y: number): RawBuilder<Record<string, unknown> & { tile_geom: string; dim: number }> {
  const src = layerSource(layer, z);
  const k = sql.lit(TILE_EXTENT);
  const width = sql`(ST_XMax(env.t) - ST_XMin(env.t))`;
  const height = sql`(ST_YMax(env.t) - ST_YMin(env.t))`;
  const toTile = (g: RawBuilder<unknown>) =>
    sql`ST_Affine(${g}, ${k} / ${width}, 0, 0, -${k} / ${height}, -ST_XMin(env.t) * ${k} / ${width}, ST_YMax(env.t) * ${k} / ${height})`;
  return sql<Record<string, unknown> & { tile_geom: string; dim: number }>`
    WITH env AS (${envelope(z, x, y)})
    SELECT ${src.select}, ST_Dimension(m3857.g) AS dim,
      ST_AsGeoJSON(ST_ForcePolygonCCW(ST_CollectionExtract(
        ST_ReducePrecision(${toTile(sql`ST_ClipByBox2D(m3857.g, env.m)`)}, 1), ST_Dimension(m3857.g) + 1)), 0) AS tile_geom
    FROM ${src.from} CROSS JOIN env CROSS JOIN LATERAL (SELECT ${src.geom3857} AS g) m3857
    WHERE ${src.where} AND ${src.intersects(sql`env.m`)}`;
}
