// Ingest a single-band GeoTIFF into the block store. geotiff.js decodes the source once, strip by
// strip (so memory stays at a strip of the image); the hot paths never touch the GeoTIFF again.
import fs from 'node:fs';
import path from 'node:path';
import { fromFile } from 'geotiff';
import { BLOCK, BlockStore, LevelWriter, levelMeta, type LevelMeta, type StoreMeta } from './block_store';

export class RasterInputError extends Error {}

/** Reads `file`, checks it is what Atalaya expects, and writes the store into `dir` (replaced whole). */
export async function ingestGeoTiff(file: string, dir: string, kind: StoreMeta['kind']): Promise<StoreMeta> {
  let tiff;
  try {
    tiff = await fromFile(file);
  } catch (e) {
    throw new RasterInputError(`${path.basename(file)} is not a readable GeoTIFF: ${(e as Error).message}`);
  }
  const image = await tiff.getImage();
  if (image.getSamplesPerPixel() !== 1) throw new RasterInputError(`${path.basename(file)} has ${image.getSamplesPerPixel()} bands; a ${kind} layer has one.`);
  if (image.getBitsPerSample() !== 8 || image.getSampleFormat() === 3) throw new RasterInputError(`${path.basename(file)} is not 8-bit integer; ${kind} codes are uint8.`);
  const epsg = image.getGeoKeys()?.GeographicTypeGeoKey;
  if (epsg !== 4326) throw new RasterInputError(`${path.basename(file)} is not in EPSG:4326 (geographic key ${epsg ?? 'missing'}); reproject it first.`);
  const [sx, sy] = image.getResolution();
  if (Math.abs(Math.abs(sx!) - Math.abs(sy!)) > 1e-12) throw new RasterInputError(`${path.basename(file)} has non-square pixels.`);
  const [west, , , north] = image.getBoundingBox() as [number, number, number, number];
  const width = image.getWidth();
  const height = image.getHeight();
  const pixelSize = Math.abs(sx!);
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const levels: LevelMeta[] = [levelMeta(width, height, pixelSize, 0)];
  let maxValue = 0;
  // Level 0: one strip of BLOCK rows at a time, cut into blocks.
  const l0 = new LevelWriter(tmp, levels[0]!);
  for (let by = 0; by < levels[0]!.rows; by++) {
    const y0 = by * BLOCK;
    const h = Math.min(BLOCK, height - y0);
    const [strip] = (await image.readRasters({ window: [0, y0, width, y0 + h], interleave: false })) as unknown as [Uint8Array];
    for (let i = 0; i < strip.length; i++) if (strip[i]! > maxValue) maxValue = strip[i]!;
    for (let bx = 0; bx < levels[0]!.cols; bx++) {
      const block = new Uint8Array(BLOCK * BLOCK);
      const x0 = bx * BLOCK;
      const w = Math.min(BLOCK, width - x0);
      for (let r = 0; r < h; r++) block.set(strip.subarray(r * width + x0, r * width + x0 + w), r * BLOCK);
      l0.write(block);
    }
  }
  l0.finish();
  // Overviews until one block covers the layer. Loss keeps the latest loss of each 2 x 2 (small clearings
  // stay visible at low zoom); tree cover keeps the mean.
  let level = 0;
  while (levels[level]!.cols > 1 || levels[level]!.rows > 1) {
    const src = levels[level]!;
    fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify({ version: 1, kind, west, north, pixelSize, width, height, maxValue, levels }));
    const reader = new BlockStore(tmp, 64);
    const dst = levelMeta(Math.ceil(src.width / 2), Math.ceil(src.height / 2), src.pixelSize * 2, level + 1);
    const writer = new LevelWriter(tmp, dst);
    for (let by = 0; by < dst.rows; by++) {
      for (let bx = 0; bx < dst.cols; bx++) {
        const out = new Uint8Array(BLOCK * BLOCK);
        for (let q = 0; q < 4; q++) {
          const sb = reader.block(level, bx * 2 + (q & 1), by * 2 + (q >> 1));
          const ox = (q & 1) * (BLOCK / 2);
          const oy = (q >> 1) * (BLOCK / 2);
          for (let r = 0; r < BLOCK / 2; r++) {
            for (let c = 0; c < BLOCK / 2; c++) {
              const a = sb[(2 * r) * BLOCK + 2 * c]!;
              const b = sb[(2 * r) * BLOCK + 2 * c + 1]!;
              const d = sb[(2 * r + 1) * BLOCK + 2 * c]!;
              const e = sb[(2 * r + 1) * BLOCK + 2 * c + 1]!;
              out[(oy + r) * BLOCK + ox + c] = kind === 'treecover' ? Math.round((a + b + d + e) / 4) : Math.max(a, b, d, e);
            }
          }
        }
        writer.write(out);
      }
    }
    writer.finish();
    reader.close();
    levels.push(dst);
    level++;
  }
  const meta: StoreMeta = { version: 1, kind, west, north, pixelSize, width, height, maxValue, levels };
  fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(meta, null, 1));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return meta;
}
