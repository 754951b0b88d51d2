// Where the pixels of a single-band 8-bit GeoTIFF are, for reading them without geotiff.js's
// decoders: the strip or tile grid, byte offsets and counts, compression and predictor. Files whose
// compression Atalaya does not decode itself get `undefined` and go through geotiff.js instead.
import type { GeoTIFFImage } from 'geotiff';

export type Compression = 'none' | 'lzw' | 'deflate';

export interface TiffLayout {
  width: number;
  height: number;
  /** Tile (or strip: width x rows per strip) size. */
  tileWidth: number;
  tileHeight: number;
  tilesAcross: number;
  offsets: number[];
  counts: number[];
  compression: Compression;
  /** 2 = horizontal differencing. */
  predictor: number;
}

const compressions: Record<number, Compression> = { 1: 'none', 5: 'lzw', 8: 'deflate', 32946: 'deflate' };

export async function readTiffLayout(image: GeoTIFFImage): Promise<TiffLayout | undefined> {
  const fd = image.fileDirectory;
  const code = Number((await fd.loadValue('Compression')) ?? 1);
  const compression = compressions[code];
  if (!compression) return undefined;
  const predictor = Number((await fd.loadValue('Predictor')) ?? 1);
  if (predictor !== 1 && predictor !== 2) return undefined;
  const tiled = image.isTiled;
  const offsets = (await fd.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number | bigint> | undefined;
  const counts = (await fd.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as ArrayLike<number | bigint> | undefined;
  if (!offsets || !counts) return undefined;
  const width = image.getWidth();
  const tileWidth = image.getTileWidth();
  return {
    width,
    height: image.getHeight(),
    tileWidth,
    tileHeight: image.getTileHeight(),
    tilesAcross: Math.ceil(width / tileWidth),
    offsets: Array.from(offsets, Number),
    counts: Array.from(counts, Number),
    compression,
    predictor,
  };
}
