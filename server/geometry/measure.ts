// Reads a GeoJSON geometry's structure in plain JavaScript, before any geometry library sees it:
// every position two finite lon/lat numbers, rings closed with four positions, and how many
// vertices and parts it has, which is what repair and buffering cost grows with.
import { BadRequestError } from '../errors';

export type GeometryType = 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon' | 'GeometryCollection';

export interface GeometrySize {
  type: GeometryType;
  vertices: number;
  /** Points, lines and polygons (a MultiPolygon of 3 polygons has 3 parts). */
  parts: number;
}

const bad = (message: string) => new BadRequestError(`geometry is not valid GeoJSON: ${message}`);

function position(p: unknown, where: string): void {
  if (!Array.isArray(p) || p.length < 2 || p.length > 4) throw bad(`${where} must be [longitude, latitude]`);
  const [x, y] = p as unknown[];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) throw bad(`${where} must hold two finite numbers`);
  if (x < -180 || x > 180 || y < -90 || y > 90) {
    throw bad(`${where} [${x}, ${y}] is outside longitude/latitude: coordinates must be EPSG:4326 degrees (reproject the file, e.g. export it in EPSG:4326)`);
  }
}

function positions(list: unknown, where: string, min: number): number {
  if (!Array.isArray(list)) throw bad(`${where} must be an array of positions`);
  if (list.length < min) throw bad(`${where} needs at least ${min} positions`);
  list.forEach((p, i) => position(p, `${where}[${i}]`));
  return list.length;
}

function ring(list: unknown, where: string): number {
  const n = positions(list, where, 4);
  const a = (list as number[][])[0]!;
  const b = (list as number[][])[n - 1]!;
  if (a[0] !== b[0] || a[1] !== b[1]) throw bad(`${where} is not closed (its last position must equal its first)`);
  return n;
}

function polygon(rings: unknown, where: string): number {
  if (!Array.isArray(rings) || rings.length === 0) throw bad(`${where} must be an array of rings`);
  return rings.reduce((s: number, r, i) => s + ring(r, `${where}[${i}]`), 0);
}

function array(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw bad(`${where} must be an array`);
  return v;
}

/** Size of a GeoJSON geometry; throws a 400 naming the first malformed part. */
export function measureGeometry(g: unknown, depth = 0): GeometrySize {
  if (typeof g !== 'object' || g === null) throw bad('expected a geometry object');
  const { type, coordinates, geometries } = g as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  switch (type) {
    case 'Point':
      position(coordinates, 'coordinates');
      return { type, vertices: 1, parts: 1 };
    case 'MultiPoint': {
      const list = array(coordinates, 'coordinates');
      list.forEach((p, i) => position(p, `coordinates[${i}]`));
      return { type, vertices: list.length, parts: list.length };
    }
    case 'LineString':
      return { type, vertices: positions(coordinates, 'coordinates', 2), parts: 1 };
    case 'MultiLineString': {
      const list = array(coordinates, 'coordinates');
      return { type, vertices: list.reduce((s: number, l, i) => s + positions(l, `coordinates[${i}]`, 2), 0), parts: list.length };
    }
    case 'Polygon':
      return { type, vertices: polygon(coordinates, 'coordinates'), parts: 1 };
    case 'MultiPolygon': {
      const list = array(coordinates, 'coordinates');
      return { type, vertices: list.reduce((s: number, p, i) => s + polygon(p, `coordinates[${i}]`), 0), parts: list.length };
    }
    case 'GeometryCollection': {
      if (depth > 0) throw bad('a GeometryCollection inside another is not supported');
      const list = array(geometries, 'geometries');
      const sizes = list.map((m) => measureGeometry(m, depth + 1));
      return { type, vertices: sizes.reduce((s, x) => s + x.vertices, 0), parts: sizes.reduce((s, x) => s + x.parts, 0) };
    }
    default:
      throw bad(`unknown type ${JSON.stringify(type)}; expected Point, LineString, Polygon, their Multi forms or GeometryCollection`);
  }
}
