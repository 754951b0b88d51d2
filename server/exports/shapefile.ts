// Zipped ESRI Shapefile, written here: @mapbox/shp-write (the one npm writer) drops features when
// Polygons and MultiPolygons are mixed and merges every LineString into one record, both checked
// with ogrinfo. The format is small: a .shp of records, a .shx of their offsets, a .dbf of
// attributes (dBase III), a .prj (WGS 84) and a .cpg naming the text encoding (UTF-8). One set per
// shape type, since a Shapefile holds one.
import type { Feature, Geometry, Position } from 'geojson';
import yazl from 'yazl';

const WGS84_PRJ = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

type ShapeKind = 'points' | 'multipoints' | 'lines' | 'polygons';
const SHAPE_TYPE: Record<ShapeKind, number> = { points: 1, lines: 3, polygons: 5, multipoints: 8 };

/** DBF field names: at most 10 characters, letters, digits and _, unique (case-insensitive). */
export function dbfNames(keys: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const k of keys) {
    const base = k.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 10) || 'field';
    let name = base;
    for (let i = 1; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 10 - String(i).length)}${i}`;
    used.add(name.toLowerCase());
    out.set(k, name);
  }
  return out;
}

function kindOf(g: Geometry): ShapeKind | null {
  switch (g.type) {
    case 'Point': return 'points';
    case 'MultiPoint': return 'multipoints';
    case 'LineString': case 'MultiLineString': return 'lines';
    case 'Polygon': case 'MultiPolygon': return 'polygons';
    default: return null;
  }
}

/** Signed area (shoelace); negative = clockwise with y up. Shapefile outer rings are clockwise, holes counter-clockwise. */
function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
  return a / 2;
}

function partsOf(g: Geometry): Position[][] {
  switch (g.type) {
    case 'Point': return [[g.coordinates]];
    case 'MultiPoint': return [g.coordinates];
    case 'LineString': return [g.coordinates];
    case 'MultiLineString': return g.coordinates;
    case 'Polygon': case 'MultiPolygon': {
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      return polys.flatMap((rings) => rings.map((ring, i) => {
        const clockwise = signedArea(ring) < 0;
        return (i === 0) === clockwise ? ring : [...ring].reverse();
      }));
    }
    default: return [];
  }
}

function shapeRecord(kind: ShapeKind, g: Geometry): Buffer {
  if (kind === 'points') {
    const b = Buffer.alloc(20);
    const [x, y] = (g as { coordinates: Position }).coordinates;
    b.writeInt32LE(1, 0);
    b.writeDoubleLE(x!, 4);
    b.writeDoubleLE(y!, 12);
    return b;
  }
  const parts = partsOf(g);
  const points = parts.flat();
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  if (kind === 'multipoints') {
    const b = Buffer.alloc(40 + 16 * points.length);
    b.writeInt32LE(8, 0);
    box.forEach((v, i) => b.writeDoubleLE(v, 4 + 8 * i));
    b.writeInt32LE(points.length, 36);
    points.forEach((p, i) => { b.writeDoubleLE(p[0]!, 40 + 16 * i); b.writeDoubleLE(p[1]!, 48 + 16 * i); });
    return b;
  }
  const b = Buffer.alloc(44 + 4 * parts.length + 16 * points.length);
  b.writeInt32LE(SHAPE_TYPE[kind], 0);
  box.forEach((v, i) => b.writeDoubleLE(v, 4 + 8 * i));
  b.writeInt32LE(parts.length, 36);
  b.writeInt32LE(points.length, 40);
  let start = 0;
  parts.forEach((p, i) => { b.writeInt32LE(start, 44 + 4 * i); start += p.length; });
  const off = 44 + 4 * parts.length;
  points.forEach((p, i) => { b.writeDoubleLE(p[0]!, off + 16 * i); b.writeDoubleLE(p[1]!, off + 8 + 16 * i); });
  return b;
}

function fileHeader(shapeType: number, lengthBytes: number, box: number[]): Buffer {
  const h = Buffer.alloc(100);
  h.writeInt32BE(9994, 0);
  h.writeInt32BE(lengthBytes / 2, 24);
  h.writeInt32LE(1000, 28);
  h.writeInt32LE(shapeType, 32);
  box.forEach((v, i) => h.writeDoubleLE(v, 36 + 8 * i));
  return h;
}

function shpAndShx(kind: ShapeKind, geoms: Geometry[]): { shp: Buffer; shx: Buffer } {
  const records = geoms.map((g) => shapeRecord(kind, g));
  const all = geoms.flatMap((g) => partsOf(g).flat());
  const box = all.length ? [Math.min(...all.map((p) => p[0]!)), Math.min(...all.map((p) => p[1]!)), Math.max(...all.map((p) => p[0]!)), Math.max(...all.map((p) => p[1]!))] : [0, 0, 0, 0];
  const shpLength = 100 + records.reduce((s, r) => s + 8 + r.length, 0);
  const shp = [fileHeader(SHAPE_TYPE[kind], shpLength, box)];
  const shx = [fileHeader(SHAPE_TYPE[kind], 100 + 8 * records.length, box)];
  let offset = 100;
  records.forEach((r, i) => {
    const h = Buffer.alloc(8);
    h.writeInt32BE(i + 1, 0);
    h.writeInt32BE(r.length / 2, 4);
    shp.push(h, r);
    const x = Buffer.alloc(8);
    x.writeInt32BE(offset / 2, 0);
    x.writeInt32BE(r.length / 2, 4);
    shx.push(x);
    offset += 8 + r.length;
  });
  return { shp: Buffer.concat(shp), shx: Buffer.concat(shx) };
}

interface DbfField { key: string; name: string; type: 'C' | 'N'; length: number; decimals: number }

function dbf(rows: Record<string, unknown>[], keys: string[]): Buffer {
  const names = dbfNames(keys);
  const fields: DbfField[] = keys.map((key) => {
    const values = rows.map((r) => r[key]).filter((v) => v !== null && v !== undefined);
    const numeric = values.length > 0 && values.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (numeric) {
      const decimals = values.every((v) => Number.isInteger(v)) ? 0 : 6;
      const length = Math.min(19, Math.max(4, ...values.map((v) => (v as number).toFixed(decimals).length)));
      return { key, name: names.get(key)!, type: 'N', length, decimals };
    }
    const length = Math.min(254, Math.max(1, ...values.map((v) => Buffer.byteLength(text(v)))));
    return { key, name: names.get(key)!, type: 'C', length, decimals: 0 };
  });
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const headerLength = 32 + 32 * fields.length + 1;
  const out = Buffer.alloc(headerLength + recordLength * rows.length + 1, 0x20);
  const now = new Date();
  out.fill(0, 0, headerLength);
  out.writeUInt8(3, 0);
  out.writeUInt8(now.getUTCFullYear() - 1900, 1);
  out.writeUInt8(now.getUTCMonth() + 1, 2);
  out.writeUInt8(now.getUTCDate(), 3);
  out.writeUInt32LE(rows.length, 4);
  out.writeUInt16LE(headerLength, 8);
  out.writeUInt16LE(recordLength, 10);
  fields.forEach((f, i) => {
    const at = 32 + 32 * i;
    out.write(f.name, at, 10, 'latin1');
    out.write(f.type, at + 11, 1, 'latin1');
    out.writeUInt8(f.length, at + 16);
    out.writeUInt8(f.decimals, at + 17);
  });
  out.writeUInt8(0x0d, headerLength - 1);
  rows.forEach((r, i) => {
    let at = headerLength + recordLength * i + 1;
    for (const f of fields) {
      const v = r[f.key];
      let s = v === null || v === undefined ? '' : f.type === 'N' ? (v as number).toFixed(f.decimals).padStart(f.length) : text(v);
      // Cut on a character boundary so a long UTF-8 value never ends in half a character.
      while (Buffer.byteLength(s) > f.length) s = s.slice(0, -1);
      out.write(s, at, f.length, 'utf8');
      at += f.length;
    }
  });
  out.writeUInt8(0x1a, out.length - 1);
  return out;
}

function text(v: unknown): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A zip with one Shapefile per shape type present: `<name>_points.shp`, `_lines`, `_polygons`, `_multipoints`. */
export async function writeShapefileZip(name: string, features: Feature[]): Promise<Buffer> {
  const keys = [...new Set(features.flatMap((f) => Object.keys(f.properties ?? {})))];
  const groups = new Map<ShapeKind, Feature[]>();
  for (const f of features) {
    const k = f.geometry ? kindOf(f.geometry) : null;
    if (k) (groups.get(k) ?? groups.set(k, []).get(k)!).push(f);
  }
  const zip = new yazl.ZipFile();
  for (const [kind, group] of groups) {
    const { shp, shx } = shpAndShx(kind, group.map((f) => f.geometry!));
    const base = `${name}_${kind}`;
    zip.addBuffer(shp, `${base}.shp`);
    zip.addBuffer(shx, `${base}.shx`);
    zip.addBuffer(dbf(group.map((f) => f.properties ?? {}), keys), `${base}.dbf`);
    zip.addBuffer(Buffer.from(WGS84_PRJ), `${base}.prj`);
    zip.addBuffer(Buffer.from('UTF-8'), `${base}.cpg`);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
