// Uploaded shapes are read in the browser (nothing is stored on the server): one geometry to analyse
// from a GeoJSON text, or an error code the interface turns into what to fix.
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export type DrawMode = 'polygon' | 'linestring' | 'point';

export class UploadError extends Error {}

/**
 * One geometry to analyse from an uploaded GeoJSON text: polygons win over lines over points, and
 * several of the winning type merge into one Multi geometry. Errors say what to fix.
 */
export function geometryFromUpload(text: string): GeoJSON.Geometry {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UploadError('not_json');
  }
  const geometries: GeoJSON.Geometry[] = [];
  const collect = (g: unknown): void => {
    if (!g || typeof g !== 'object') return;
    const o = g as { type?: string; features?: unknown[]; geometry?: unknown; geometries?: unknown[]; coordinates?: unknown };
    if (o.type === 'FeatureCollection' && Array.isArray(o.features)) o.features.forEach(collect);
    else if (o.type === 'Feature') collect(o.geometry);
    else if (o.type === 'GeometryCollection' && Array.isArray(o.geometries)) o.geometries.forEach(collect);
    else if (typeof o.type === 'string' && Array.isArray(o.coordinates)) geometries.push(o as GeoJSON.Geometry);
  };
  collect(json);
  if (geometries.length === 0) throw new UploadError('no_geometry');
  const positions: number[][] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') positions.push(c as number[]);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  geometries.forEach((g) => walk('coordinates' in g ? g.coordinates : []));
  if (positions.some((p) => !(Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90))) throw new UploadError('not_lonlat');
  const of = (types: string[]) => geometries.filter((g) => types.includes(g.type));
  const polygons = of(['Polygon', 'MultiPolygon']);
  if (polygons.length) return { type: 'MultiPolygon', coordinates: polygons.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : (g as GeoJSON.MultiPolygon).coordinates)) };
  const lines = of(['LineString', 'MultiLineString']);
  if (lines.length) return { type: 'MultiLineString', coordinates: lines.flatMap((g) => (g.type === 'LineString' ? [g.coordinates] : (g as GeoJSON.MultiLineString).coordinates)) };
  const points = of(['Point', 'MultiPoint']);
  return { type: 'MultiPoint', coordinates: points.flatMap((g) => (g.type === 'Point' ? [g.coordinates] : (g as GeoJSON.MultiPoint).coordinates)) };
}

