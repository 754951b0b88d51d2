/** A 2D point as little-endian WKB (the geometry of point exports: alerts, field reports). */
export function pointWkb(lon: number, lat: number): Uint8Array {
  const b = Buffer.alloc(21);
  b.writeUInt8(1, 0);
  b.writeUInt32LE(1, 1);
  b.writeDoubleLE(lon, 5);
  b.writeDoubleLE(lat, 13);
  return new Uint8Array(b);
}
