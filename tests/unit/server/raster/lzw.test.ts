// The hand-written LZW decoder against geotiff.js's on files written by GDAL (and by libtiff's rules:
// code width changes, Clear codes after 4094 entries, the KwKwK case), and on corrupt input.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromFile } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeUint8GeoTiff } from '../../../../server/demo/geotiff_writer';
import { decodeLzw, LzwError } from '../../../../server/raster/codecs/lzw';
import { hasGdal } from '../../../helpers/shared_data';


describe.skipIf(!hasGdal)('TIFF LZW decoding', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-lzw-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('decodes every strip of GDAL-written LZW files exactly as geotiff.js does', async () => {
    const width = 1500;
    const height = 300;
    const v = new Uint8Array(width * height);
    // Runs (long strings, KwKwK), noise (table fills and Clear codes) and smooth gradients.
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) v[y * width + x] = y < 100 ? (x >> 6) % 3 : y < 200 ? Math.imul(x * 31 + y, 2654435761) >>> 27 : (x + y) & 255;
    fs.writeFileSync(path.join(dir, 'src.tif'), await encodeUint8GeoTiff({ west: -70, north: -10, pixelSize: 0.001, width, height }, v, 't'));
    for (const [name, opts] of [['strips', ['-co', 'BLOCKYSIZE=7']], ['one-row strips', ['-co', 'BLOCKYSIZE=1']], ['tiles', ['-co', 'TILED=YES', '-co', 'BLOCKXSIZE=256', '-co', 'BLOCKYSIZE=256']]] as const) {
      const file = path.join(dir, `${name}.tif`);
      execFileSync('gdal_translate', ['-q', '-co', 'COMPRESS=LZW', ...opts, path.join(dir, 'src.tif'), file]);
      const image = await (await fromFile(file)).getImage();
      const fd = image.fileDirectory;
      const offsets = Array.from(((await fd.loadValue('TileOffsets')) ?? (await fd.loadValue('StripOffsets'))) as ArrayLike<number>);
      const counts = Array.from(((await fd.loadValue('TileByteCounts')) ?? (await fd.loadValue('StripByteCounts'))) as ArrayLike<number>);
      const tw = image.getTileWidth();
      const th = image.getTileHeight();
      const bytes = fs.readFileSync(file);
      const tilesAcross = Math.ceil(width / tw);
      for (let i = 0; i < offsets.length; i++) {
        const out = new Uint8Array(tw * th);
        const n = decodeLzw(bytes.subarray(offsets[i]!, offsets[i]! + counts[i]!), out);
        const tx = (i % tilesAcross) * tw;
        const ty = Math.floor(i / tilesAcross) * th;
        const [expected] = (await image.readRasters({ window: [tx, ty, Math.min(tx + tw, width), Math.min(ty + th, height)] })) as unknown as [Uint8Array];
        const w = Math.min(tw, width - tx);
        const rows = Math.min(th, height - ty);
        expect(n).toBeGreaterThanOrEqual(w * rows);
        for (let r = 0; r < rows; r++) expect(Buffer.from(out.subarray(r * tw, r * tw + w)).equals(Buffer.from(expected.subarray(r * w, (r + 1) * w))), `${name} strip ${i} row ${r}`).toBe(true);
      }
    }
  });

  it('refuses corrupt data with an LzwError instead of writing past the strip', () => {
    // Clear, then code 300 before any string exists.
    expect(() => decodeLzw(new Uint8Array([0x80, 0x4b, 0x00]), new Uint8Array(100))).toThrow(LzwError);
    // Clear, 'A', then code 400: far past the next free code.
    expect(() => decodeLzw(new Uint8Array([0x80, 0x10, 0x72, 0x00]), new Uint8Array(100))).toThrow(/not in the table/);
    expect(() => decodeLzw(new Uint8Array([0x00, 0x01, 0x02]), new Uint8Array(10))).toThrow(/old-style/);
  });
});
