// Reads whole-width row windows of a single-band 8- or 16-bit GeoTIFF straight from its strips or
// tiles (DEFLATE by node:zlib, LZW by the raster store's decoder), without geotiff.js: its decoders
// read a sparse 40,000 x 40,000 alert tile at about 7 Mpx/s here, node:zlib at several times that.
// Files it cannot read this way (other compressions, several bands, big-endian) return undefined
// from open and go through geotiff.js.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { GeoTIFFImage } from 'geotiff';
import { decodeLzw } from '../raster/codecs/lzw';
import { readTiffLayout, type TiffLayout } from '../raster/tiff_layout';

export interface RowReader {
  /** Rows [from, to) of the whole width, as uint8 or uint16 samples. */
  read(from: number, to: number): Uint8Array | Uint16Array;
  close(): void;
}

export async function openRowReader(file: string, image: GeoTIFFImage): Promise<RowReader | undefined> {
  const bits = image.getBitsPerSample();
  if (image.getSamplesPerPixel() !== 1 || (bits !== 8 && bits !== 16)) return undefined;
  if (bits === 16 && !(image as unknown as { littleEndian: boolean }).littleEndian) return undefined;
  const layout = await readTiffLayout(image);
  if (!layout) return undefined;
  const size = fs.statSync(file).size;
  const beyond = layout.offsets.findIndex((o, i) => o + (layout.counts[i] ?? 0) > size);
  if (beyond >= 0) throw new Error(`${path.basename(file)} is truncated or corrupt: block ${beyond} lies past the end of the file (${size} bytes)`);
  const fd = fs.openSync(file, 'r');
  const bytes = bits / 8;
  return {
    read: (from, to) => readRows(fd, file, layout, bytes, from, to),
    close: () => fs.closeSync(fd),
  };
}

function decodeTile(fd: number, file: string, layout: TiffLayout, bytes: number, index: number): Uint8Array {
  const length = layout.counts[index] ?? 0;
  const size = layout.tileWidth * layout.tileHeight * bytes;
  const out = new Uint8Array(size);
  if (length === 0) return out;
  const raw = Buffer.allocUnsafe(length);
  if (fs.readSync(fd, raw, 0, length, layout.offsets[index]!) !== length) throw new Error(`${path.basename(file)} is corrupt: tile ${index} is cut short`);
  try {
    if (layout.compression === 'none') out.set(raw.subarray(0, Math.min(length, size)));
    else if (layout.compression === 'lzw') decodeLzw(raw, out);
    else {
      const inflated = zlib.inflateSync(raw);
      out.set(inflated.subarray(0, Math.min(inflated.length, size)));
    }
  } catch (e) {
    throw new Error(`${path.basename(file)} is corrupt: tile ${index} does not decode (${(e as Error).message})`, { cause: e });
  }
  if (layout.predictor === 2) {
    // Horizontal differencing on samples (16-bit: little-endian words).
    if (bytes === 1) {
      for (let r = 0; r < layout.tileHeight; r++) for (let c = 1, row = r * layout.tileWidth; c < layout.tileWidth; c++) out[row + c] = (out[row + c]! + out[row + c - 1]!) & 255;
    } else {
      const w = new Uint16Array(out.buffer, out.byteOffset, out.length >> 1);
      for (let r = 0; r < layout.tileHeight; r++) for (let c = 1, row = r * layout.tileWidth; c < layout.tileWidth; c++) w[row + c] = (w[row + c]! + w[row + c - 1]!) & 65535;
    }
  }
  return out;
}

function readRows(fd: number, file: string, layout: TiffLayout, bytes: number, from: number, to: number): Uint8Array | Uint16Array {
  const width = layout.width;
  const out = bytes === 2 ? new Uint16Array(width * (to - from)) : new Uint8Array(width * (to - from));
  for (let tr = Math.floor(from / layout.tileHeight); tr * layout.tileHeight < to; tr++) {
    const top = tr * layout.tileHeight;
    for (let tc = 0; tc < layout.tilesAcross; tc++) {
      const index = tr * layout.tilesAcross + tc;
      if ((layout.counts[index] ?? 0) === 0) continue;
      const tile = decodeTile(fd, file, layout, bytes, index);
      const samples = bytes === 2 ? new Uint16Array(tile.buffer, tile.byteOffset, tile.length >> 1) : tile;
      const left = tc * layout.tileWidth;
      const w = Math.min(layout.tileWidth, width - left);
      for (let y = Math.max(from, top); y < Math.min(to, top + layout.tileHeight); y++) {
        const src = (y - top) * layout.tileWidth;
        out.set(samples.subarray(src, src + w), (y - from) * width + left);
      }
    }
  }
  return out;
}
