// GeoPackage geometry blobs are "GP" + flags + srs id + optional envelope + standard WKB
// (OGC 12-128r18 §2.1.3). No maintained npm package parses just this header, and it is a few bytes,
// so it is read here; PostGIS then parses the WKB.

/** The WKB inside a GeoPackage geometry blob as hex, or null for an empty geometry. Throws on a bad blob. */
export function gpkgBlobToWkbHex(blob: Uint8Array): string | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry (missing "GP" magic)');
  const flags = blob[3]!;
  const empty = (flags >> 4) & 1;
  const envelope = (flags >> 1) & 0b111;
  const envelopeBytes = [0, 32, 48, 48, 64][envelope];
  if (envelopeBytes === undefined) throw new Error(`invalid envelope code ${envelope}`);
  if (empty) return null;
  const start = 8 + envelopeBytes;
  if (blob.length <= start) throw new Error('geometry blob is truncated');
  return Buffer.from(blob.buffer, blob.byteOffset + start, blob.length - start).toString('hex');
}
