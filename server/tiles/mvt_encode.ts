// Encodes features whose geometry is already in tile space (from tileGeometryQuery) as an MVT layer.
// vt-pbf does the protobuf; this only shapes rows into the feature form it takes.
import vtpbf from 'vt-pbf';
import { TILE_EXTENT } from '../db/tiles/mvt_layers';

interface TileFeature {
  id?: number;
  type: 1 | 2 | 3;
  geometry: number[][] | number[][][];
  tags: Record<string, string | number | boolean>;
}

type Coordinates = number[] | number[][] | number[][][] | number[][][][];

/** Rings/lines/points of a GeoJSON geometry in the nesting vt-pbf wants for MVT type 1, 2 or 3. */
function parts(type: string, coordinates: Coordinates): { type: 1 | 2 | 3; geometry: number[][] | number[][][] } | null {
  switch (type) {
    case 'Point':
      return { type: 1, geometry: [coordinates as number[]] };
    case 'MultiPoint':
      return { type: 1, geometry: coordinates as number[][] };
    case 'LineString':
      return { type: 2, geometry: [coordinates as number[][]] };
    case 'MultiLineString':
      return { type: 2, geometry: coordinates as number[][][] };
    case 'Polygon':
      return { type: 3, geometry: coordinates as number[][][] };
    case 'MultiPolygon':
      return { type: 3, geometry: (coordinates as number[][][][]).flat() };
    default:
      return null;
  }
}

export function encodeMvtLayer(name: string, rows: (Record<string, unknown> & { tile_geom: string })[], idColumn: string | null): Uint8Array {
  const features: TileFeature[] = [];
  for (const row of rows) {
    const g = JSON.parse(row.tile_geom) as { type: string; coordinates: Coordinates };
    if (!g.coordinates || (g.coordinates as unknown[]).length === 0) continue; // collapsed at this zoom
    const p = parts(g.type, g.coordinates);
    if (!p) continue;
    const tags: TileFeature['tags'] = {};
    for (const [k, v] of Object.entries(row)) {
      if (k === 'tile_geom' || k === 'dim' || v === null || v === undefined) continue;
      if (idColumn && k === idColumn) continue; // the feature id, as ST_AsMVT does
      tags[k] = typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    }
    const id = idColumn ? Number(row[idColumn]) : undefined;
    features.push({ ...(id !== undefined ? { id } : {}), type: p.type, geometry: p.geometry, tags });
  }
  if (features.length === 0) return new Uint8Array(0);
  return vtpbf.fromGeojsonVt({ [name]: { features } } as never, { version: 2, extent: TILE_EXTENT });
}
