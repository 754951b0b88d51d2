// Polygons from WKB (PostGIS ST_AsBinary) as flat coordinate arrays, ready for the scanline. Batches
// move geometries to worker threads as WKB: parsing it is a few typed-array reads, where JSON.parse
// of GeoJSON allocated an array per vertex and spent more time in the garbage collector than the
// zonal count itself.
export type FlatPolygon = Float64Array[]; // rings of x0, y0, x1, y1, ...

export function polygonsFromWkb(wkb: Uint8Array): FlatPolygon[] {
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  let at = 0;
  const readGeometry = (out: FlatPolygon[]) => {
    const little = view.getUint8(at) === 1;
    at += 1;
    let type = view.getUint32(at, little);
    at += 4;
    if (type & 0x20000000) at += 4; // EWKB SRID
    type &= 0xffff;
    if (type > 1000) throw new Error('WKB with Z or M coordinates: send 2D geometries');
    if (type === 3) {
      const rings = view.getUint32(at, little);
      at += 4;
      const polygon: FlatPolygon = [];
      for (let r = 0; r < rings; r++) {
        const n = view.getUint32(at, little);
        at += 4;
        const ring = new Float64Array(n * 2);
        for (let i = 0; i < n * 2; i++, at += 8) ring[i] = view.getFloat64(at, little);
        polygon.push(ring);
      }
      out.push(polygon);
    } else if (type === 6 || type === 7) {
      const parts = view.getUint32(at, little);
      at += 4;
      for (let p = 0; p < parts; p++) readGeometry(out);
    } else {
      throw new Error(`WKB geometry type ${type} has no area; buffer points and lines first`);
    }
  };
  const out: FlatPolygon[] = [];
  readGeometry(out);
  return out;
}

/** GeoJSON Polygon / MultiPolygon coordinates as flat rings. */
export function polygonsFromGeoJson(geometry: { type: string; coordinates: unknown }): FlatPolygon[] {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates as number[][][]] : geometry.type === 'MultiPolygon' ? (geometry.coordinates as number[][][][]) : undefined;
  if (!parts) throw new Error(`Zonal statistics need a Polygon or MultiPolygon, not ${geometry.type}.`);
  return parts.map((rings) =>
    rings.map((ring) => {
      const flat = new Float64Array(ring.length * 2);
      ring.forEach((p, i) => {
        flat[i * 2] = p[0]!;
        flat[i * 2 + 1] = p[1]!;
      });
      return flat;
    }),
  );
}
