// GeoTIFFs whose headers lie: a declared size no layer has, and blocks that point past the end of the
// file. Both are refused with what is wrong, before anything is allocated or written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeUint8GeoTiff } from '../../../../server/demo/geotiff_writer';
import { ingestGeoTiff, RasterInputError } from '../../../../server/raster/ingest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-hostile-tiff-'));

async function tiff(width: number, height: number): Promise<Buffer> {
  return encodeUint8GeoTiff({ west: -70, north: -12, pixelSize: 0.001, width, height }, new Uint8Array(width * height).fill(3), 'test');
}

/** Rewrites the value of one entry of the first IFD, keeping its type (either byte order). */
function patchTag(buf: Buffer, tag: number, value: number): Buffer {
  const out = Buffer.from(buf);
  const le = out.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (le ? out.readUInt16LE(at) : out.readUInt16BE(at));
  const ifd = le ? out.readUInt32LE(4) : out.readUInt32BE(4);
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const at = ifd + 2 + i * 12;
    if (u16(at) !== tag) continue;
    if (u16(at + 2) === 3) {
      if (le) out.writeUInt16LE(Math.min(value, 65535), at + 8);
      else out.writeUInt16BE(Math.min(value, 65535), at + 8);
    } else if (le) out.writeUInt32LE(value, at + 8);
    else out.writeUInt32BE(value, at + 8);
    return out;
  }
  throw new Error(`tag ${tag} not found`);
}

describe('hostile GeoTIFF headers', () => {
  it('refuses a file that declares a huge size, without allocating it', async () => {
    const file = path.join(dir, 'huge.tif');
    const original = await tiff(16, 16);
    const huge = patchTag(patchTag(original, 256, 4_000_000), 257, 4_000_000); // ImageWidth, ImageLength
    fs.writeFileSync(file, huge);
    const before = process.memoryUsage().rss;
    const err = await ingestGeoTiff(file, path.join(dir, 'store-huge'), 'lossyear').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RasterInputError);
    expect((err as Error).message).toMatch(/declares|past the end|not a readable/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 ** 2);
    expect(fs.existsSync(path.join(dir, 'store-huge'))).toBe(false);
  });

  it('refuses a truncated file whose blocks point past its end', async () => {
    const file = path.join(dir, 'cut.tif');
    const whole = await tiff(64, 64);
    // Keep the header and IFD (written first by geotiff.js) but drop most pixel bytes.
    fs.writeFileSync(file, whole.subarray(0, whole.length - 3000));
    const err = await ingestGeoTiff(file, path.join(dir, 'store-cut'), 'lossyear').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RasterInputError);
    expect(fs.existsSync(path.join(dir, 'store-cut'))).toBe(false);
  });
});
