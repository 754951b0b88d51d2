// The two hand-written parts of offline packages, checked against independent readers: the PMTiles
// writer read back by Protomaps' own `pmtiles` reader (root and leaf directories, runs of identical
// tiles, gzip), and the raster-to-rectangles vectoriser decoded by @mapbox/vector-tile and painted
// back pixel by pixel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { PmtilesWriter, PmTileType } from '../../../../server/tiles/pmtiles_writer';
import { rectanglesOf, vectorizeTile } from '../../../../server/tiles/raster_vectorize';

class FileBytes implements Source {
  private readonly bytes: Buffer;
  constructor(private readonly file: string) {
    this.bytes = fs.readFileSync(file);
  }
  getKey() {
    return this.file;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const b = this.bytes.subarray(offset, offset + length);
    return { data: b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer };
  }
}

/** A deterministic pseudo-random sequence (tests must not depend on Math.random). */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('PMTiles writer', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-pmtiles-'));

  it('writes an archive the pmtiles reader reads tile for tile, with leaf directories past the 16 KiB root', async () => {
    const file = path.join(dir, 'big.pmtiles');
    const w = new PmtilesWriter(file, { tileType: PmTileType.Mvt, tileGzip: true, bounds: [-72, -14, -68, -9], metadata: { name: 'test', vector_layers: [] } });
    const expected = new Map<string, Buffer>();
    const random = lcg(7);
    // 40,000 tiles at z12 in a block, a third of them the same content (runs and shared offsets), added out of order.
    const tiles: [number, number, number][] = [];
    for (let x = 1200; x < 1400; x++) for (let y = 2100; y < 2300; y++) tiles.push([12, x, y]);
    tiles.sort(() => random() - 0.5);
    for (const [z, x, y] of tiles) {
      const same = (x + y) % 3 === 0;
      const data = gzipSync(Buffer.from(same ? 'sea' : `tile ${z}/${x}/${y}`));
      w.add(z, x, y, data);
      expected.set(`${z}/${x}/${y}`, data);
    }
    const bytes = w.finish();
    expect(fs.statSync(file).size).toBe(bytes);
    expect(fs.existsSync(`${file}.tiles`)).toBe(false);
    const pm = new PMTiles(new FileBytes(file));
    const h = await pm.getHeader();
    expect(h).toMatchObject({ specVersion: 3, tileType: 1, tileCompression: 2, internalCompression: 2, minZoom: 12, maxZoom: 12, numAddressedTiles: 40_000, clustered: true });
    expect(h.leafDirectoryLength).toBeGreaterThan(0); // the root alone would not fit
    expect(h.rootDirectoryOffset + h.rootDirectoryLength).toBeLessThanOrEqual(16_384);
    expect(h.numTileContents).toBe(40_000 - [...expected.keys()].filter((k) => { const [, x, y] = k.split('/').map(Number); return (x! + y!) % 3 === 0; }).length + 1);
    expect(await pm.getMetadata()).toEqual({ name: 'test', vector_layers: [] });
    for (const [key, data] of [...expected].filter((_, i) => i % 97 === 0)) {
      const [z, x, y] = key.split('/').map(Number) as [number, number, number];
      const got = await pm.getZxy(z, x, y);
      // The reader gunzips tiles itself (tile compression 2).
      expect(Buffer.from(got!.data).toString()).toBe(gunzipSync(data).toString());
    }
    expect(await pm.getZxy(12, 1199, 2100)).toBeUndefined();
    expect(await pm.getZxy(11, 600, 1050)).toBeUndefined();
  });
});

describe('raster tiles as MVT rectangles', () => {
  it('covers every painted pixel once with its value, and paints nothing else', () => {
    const random = lcg(42);
    const values = new Uint16Array(256 * 256);
    // Blobs of a few values and scattered single pixels.
    for (let i = 0; i < 40; i++) {
      const x0 = Math.floor(random() * 230);
      const y0 = Math.floor(random() * 230);
      const v = 1 + Math.floor(random() * 5);
      for (let y = y0; y < y0 + 1 + Math.floor(random() * 25); y++) for (let x = x0; x < x0 + 1 + Math.floor(random() * 25); x++) values[y * 256 + x] = v;
    }
    for (let i = 0; i < 500; i++) values[Math.floor(random() * 65_536)] = 7;
    const rects = rectanglesOf(values);
    const painted = new Uint16Array(256 * 256);
    for (const r of rects) for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) {
      expect(painted[y * 256 + x]).toBe(0);
      painted[y * 256 + x] = r.value;
    }
    expect(painted).toEqual(values);
    expect(rects.length).toBeLessThan(values.filter((v) => v > 0).length / 2); // merged, not one per pixel

    const mvt = vectorizeTile('alerts', values, (v) => ({ confidence: v }));
    const layer = new VectorTile(new Pbf(mvt)).layers.alerts!;
    expect(layer.length).toBe(rects.length);
    expect(layer.extent).toBe(4096);
    // Decoded back, each feature is its rectangle (scaled to the 4,096 extent) with its value, as an exterior ring.
    const back = new Uint16Array(256 * 256);
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      expect(f.type).toBe(3);
      const ring = f.loadGeometry()[0]!;
      const xs = ring.map((p) => p.x / 16);
      const ys = ring.map((p) => p.y / 16);
      for (let y = Math.min(...ys); y < Math.max(...ys); y++) for (let x = Math.min(...xs); x < Math.max(...xs); x++) back[y * 256 + x] = Number(f.properties.confidence);
      const area = ring.reduce((s, p, j) => s + (j ? ring[j - 1]!.x * p.y - p.x * ring[j - 1]!.y : 0), 0);
      expect(area).toBeGreaterThan(0); // clockwise on screen: an exterior ring (MVT 2.1)
    }
    expect(back).toEqual(values);
    expect(vectorizeTile('alerts', new Uint16Array(256 * 256), () => ({}))).toHaveLength(0);
  });
});
