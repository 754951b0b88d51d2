// A feature's vertex count read from its raw geometry without parsing it into a geometry library,
// so the import can refuse an oversized feature before PostGIS (GEOS) works on it.
import type { RawGeometry } from './types';

/** Positions in GeoJSON text: every "[" directly followed by a number opens one. */
function geojsonPositions(text: string): number {
  let n = 0;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
    let j = i + 1;
    while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13 || text.charCodeAt(j) === 9) j++;
    const c = text.charCodeAt(j);
    if ((c >= 48 && c <= 57) || c === 45 || c === 46) n++;
  }
  return n;
}

/** Points in (possibly multi-part, possibly nested) WKB, walking its headers; hex-encoded. */
function wkbPoints(hex: string): number {
  const buf = Buffer.from(hex, 'hex');
  let offset = 0;
  const walk = (): number => {
    const little = buf[offset] === 1;
    const u32 = (at: number) => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
    let type = u32(offset + 1);
    offset += 5;
    // EWKB flags (SRID, Z, M) and ISO Z/M codes (1000s) both change the coordinate width.
    const hasSrid = (type & 0x20000000) !== 0;
    let dims = 2 + ((type & 0x80000000) !== 0 ? 1 : 0) + ((type & 0x40000000) !== 0 ? 1 : 0);
    type &= 0x0fffffff;
    if (type >= 1000) {
      const iso = Math.floor(type / 1000);
      dims = iso === 3 ? 4 : 3;
      type %= 1000;
    }
    if (hasSrid) offset += 4;
    const width = 8 * dims;
    switch (type) {
      case 1:
        offset += width;
        return 1;
      case 2: {
        const n = u32(offset);
        offset += 4 + n * width;
        return n;
      }
      case 3: {
        const rings = u32(offset);
        offset += 4;
        let total = 0;
        for (let r = 0; r < rings; r++) {
          const n = u32(offset);
          offset += 4 + n * width;
          total += n;
        }
        return total;
      }
      default: {
        // Multi* and collections: a count, then whole geometries.
        const parts = u32(offset);
        offset += 4;
        let total = 0;
        for (let p = 0; p < parts; p++) total += walk();
        return total;
      }
    }
  };
  try {
    return walk();
  } catch {
    return 0; // malformed: PostGIS will say so, with the feature's index
  }
}

export function vertexCountOf(g: RawGeometry): number {
  if (g.kind === 'geojson') return geojsonPositions(g.text);
  if (g.kind === 'wkb') return wkbPoints(g.hex);
  // WKT: one comma between positions, plus one position per component.
  let n = 1;
  for (let i = 0; i < g.text.length; i++) if (g.text.charCodeAt(i) === 44 || g.text.charCodeAt(i) === 40) n++;
  return n;
}
