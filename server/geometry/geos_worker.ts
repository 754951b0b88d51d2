// Runs on a worker thread of the geometry pool: validity, repair (GEOS MakeValid) and geodesic
// buffers of user geometry with GEOS compiled to WebAssembly. A geometry that takes too long is
// stopped by terminating this thread (GEOS cannot be interrupted; PostgreSQL's statement timeout
// and pg_terminate_backend were seen to wait on it for minutes while it grew to 7 GB).
import initGeosJs from 'geos-wasm';
import { geojsonToGeosGeom, geosGeomToGeojson } from 'geos-wasm/helpers';
import proj4 from 'proj4';
import { bestProjection, sphereCentre, type Bounds } from './best_projection';
import type { PrepareTask, PreparedGeometry } from './prepare_task';

type Geos = Awaited<ReturnType<typeof initGeosJs>>;
type Json = { type: string; coordinates?: unknown; geometries?: Json[] };

// GEOS reports through the module's print hooks, which write to this thread's console.
console.log = () => undefined;
console.debug = () => undefined;

let geos: Promise<Geos> | undefined;

function mapPositions(g: Json, f: (p: number[]) => number[]): Json {
  const walk = (c: unknown): unknown => (typeof (c as unknown[])[0] === 'number' ? f(c as number[]) : (c as unknown[]).map(walk));
  if (g.type === 'GeometryCollection') return { type: g.type, geometries: (g.geometries ?? []).map((m) => mapPositions(m, f)) };
  return { type: g.type, coordinates: walk(g.coordinates) };
}

function positionsOf(g: Json): number[][] {
  const out: number[][] = [];
  mapPositions(g, (p) => (out.push(p), p));
  return out;
}

function boundsOf(positions: number[][]): Bounds {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const [x, y] of positions) {
    b.minX = Math.min(b.minX, x!);
    b.maxX = Math.max(b.maxX, x!);
    b.minY = Math.min(b.minY, y!);
    b.maxY = Math.max(b.maxY, y!);
  }
  return b;
}

/** The polygonal parts (ST_CollectionExtract(g, 3)), as a Polygon or MultiPolygon, or null. */
function polygonsOf(g: Json): Json | null {
  const polys: unknown[] = [];
  const collect = (m: Json) => {
    if (m.type === 'Polygon') polys.push(m.coordinates);
    else if (m.type === 'MultiPolygon') polys.push(...(m.coordinates as unknown[]));
    else if (m.type === 'GeometryCollection') (m.geometries ?? []).forEach(collect);
  };
  collect(g);
  if (polys.length === 0) return null;
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

function readHex(g: Geos, hex: string): number {
  const size = hex.length;
  const ptr = g.Module._malloc(size + 1);
  try {
    g.Module.stringToUTF8(hex, ptr, size + 1);
    return g.GEOSGeomFromHEX_buf(ptr, size);
  } finally {
    g.Module._free(ptr);
  }
}

function writeHex(g: Geos, geom: number): string {
  const sizePtr = g.Module._malloc(4);
  try {
    const out = g.GEOSGeomToHEX_buf(geom, sizePtr);
    const size = g.Module.getValue(sizePtr, 'i32');
    const hex = (g.Module.UTF8ToString as (p: number, max?: number) => string)(out, size);
    g.GEOSFree(out);
    return hex;
  } finally {
    g.Module._free(sizePtr);
  }
}

const TYPE_NAMES = ['POINT', 'LINESTRING', 'LINEARRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION'];

/** Loads GEOS on a fresh thread, so a task's time limit counts its work, not the thread's start. */
export async function warmUp(): Promise<true> {
  geos ??= initGeosJs();
  await geos;
  return true;
}

export default async function prepare(task: PrepareTask): Promise<PreparedGeometry> {
  geos ??= initGeosJs();
  const g = await geos;
  const pointers: number[] = [];
  const own = (p: number, what: string) => {
    if (!p) throw new Error(`GEOS could not ${what} this geometry`);
    pointers.push(p);
    return p;
  };
  try {
    const input = own(task.wkbHex ? readHex(g, task.wkbHex) : geojsonToGeosGeom(task.geometry as never, g), 'read');
    const type = TYPE_NAMES[g.GEOSGeomTypeId(input)] ?? 'GEOMETRY';
    const valid = g.GEOSisValid(input) === 1;
    let reason: string | null = null;
    if (!valid) {
      const r = g.GEOSisValidReason(input);
      reason = g.Module.UTF8ToString(r);
      g.GEOSFree(r);
    }
    if (!valid && task.requireValid) return { type, valid, reason, geometry: null };
    const repaired = valid ? input : own(g.GEOSMakeValid(input), 'repair');
    if (task.answerWkb) return { type, valid, reason, geometry: null, wkbHex: valid ? null : writeHex(g, repaired) };
    let result = geosGeomToGeojson(repaired, g) as Json;
    if (task.bufferM > 0) {
      // ST_Buffer(geography): into the projection PostGIS would choose, buffer with 16 segments a quarter circle, back.
      const positions = positionsOf(result);
      const projection = proj4('EPSG:4326', bestProjection(boundsOf(positions), sphereCentre(positions)));
      const planar = own(geojsonToGeosGeom(mapPositions(result, (p) => projection.forward([p[0]!, p[1]!])) as never, g), 'project');
      const buffered = own(g.GEOSBuffer(planar, task.bufferM, 16), 'buffer');
      result = mapPositions(geosGeomToGeojson(buffered, g) as Json, (p) => projection.inverse([p[0]!, p[1]!]));
    }
    return { type, valid, reason, geometry: task.polygonsOnly || task.bufferM > 0 ? polygonsOf(result) : result };
  } catch (e) {
    // A WebAssembly trap (out of memory, abort) leaves GEOS unusable: start a fresh one next time.
    if (e instanceof WebAssembly.RuntimeError) geos = undefined;
    throw e;
  } finally {
    if (geos) for (const p of pointers) g.GEOSGeom_destroy(p);
  }
}
