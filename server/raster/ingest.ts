// Ingest a single-band GeoTIFF into the block store. geotiff.js decodes the source once, strip by
// strip (so memory stays at a strip of the image); the hot paths never touch the GeoTIFF again.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fromFile, Pool } from 'geotiff';
import { BLOCK, BlockStore, LevelWriter, levelMeta, type LevelMeta, type StoreMeta } from './block_store';

export class RasterInputError extends Error {}

interface SourceImage {
  file: string;
  image: Awaited<ReturnType<Awaited<ReturnType<typeof fromFile>>['getImage']>>;
  /** Pixel offset of the file in the mosaic grid. */
  x0: number;
  y0: number;
  width: number;
  height: number;
  nodata: number | null;
}

async function openSource(file: string, kind: StoreMeta['kind']) {
  const name = path.basename(file);
  let image;
  try {
    image = await (await fromFile(file)).getImage();
  } catch (e) {
    throw new RasterInputError(`${name} is not a readable GeoTIFF: ${(e as Error).message}`);
  }
  if (image.getSamplesPerPixel() !== 1) throw new RasterInputError(`${name} has ${image.getSamplesPerPixel()} bands; a ${kind} layer has one.`);
  if (image.getBitsPerSample() !== 8 || image.getSampleFormat() === 3) throw new RasterInputError(`${name} is not 8-bit integer; ${kind} codes are uint8.`);
  const epsg = image.getGeoKeys()?.GeographicTypeGeoKey;
  if (epsg !== 4326) throw new RasterInputError(`${name} is not in EPSG:4326 (geographic key ${epsg ?? 'missing'}); reproject it first.`);
  const [sx, sy] = image.getResolution();
  if (Math.abs(Math.abs(sx!) - Math.abs(sy!)) > Math.abs(sx!) * 1e-6) throw new RasterInputError(`${name} has non-square pixels.`);
  const [west, , , north] = image.getBoundingBox() as [number, number, number, number];
  return { file, image, west, north, pixelSize: Math.abs(sx!), pixelSizeY: Math.abs(sy!), width: image.getWidth(), height: image.getHeight(), nodata: image.getGDALNoData() };
}

/**
 * Reads one GeoTIFF or a mosaic of GeoTIFFs on the same grid (Hansen tiles), checks them, and writes
 * the store into `dir`, replacing an existing store only once the new one is complete.
 */
export async function ingestGeoTiff(
  files: string | string[],
  dir: string,
  kind: StoreMeta['kind'],
  onProgress?: (p: { read: number; total: number; features: number }) => void,
): Promise<StoreMeta> {
  const list = Array.isArray(files) ? files : [files];
  if (list.length === 0) throw new RasterInputError('No GeoTIFF given.');
  const opened: Awaited<ReturnType<typeof openSource>>[] = [];
  for (const f of list) opened.push(await openSource(f, kind));
  const pixelSize = opened[0]!.pixelSize;
  // GDAL keeps x and y sizes apart; pixel-exact zonal counts need the row size as the file has it.
  const pixelSizeY = opened[0]!.pixelSizeY;
  const west = Math.min(...opened.map((o) => o.west));
  const north = Math.max(...opened.map((o) => o.north));
  const sources: SourceImage[] = opened.map((o) => {
    const x0 = (o.west - west) / pixelSize;
    const y0 = (north - o.north) / pixelSize;
    if (Math.abs(o.pixelSize - pixelSize) > 1e-12 || Math.abs(x0 - Math.round(x0)) > 1e-6 || Math.abs(y0 - Math.round(y0)) > 1e-6) {
      throw new RasterInputError(`${path.basename(o.file)} is not on the same pixel grid as ${path.basename(opened[0]!.file)}; a mosaic needs aligned files of one resolution.`);
    }
    return { file: o.file, image: o.image, x0: Math.round(x0), y0: Math.round(y0), width: o.width, height: o.height, nodata: o.nodata };
  });
  const width = Math.max(...sources.map((s) => s.x0 + s.width));
  const height = Math.max(...sources.map((s) => s.y0 + s.height));
  const tmp = `${dir}.tmp-${process.pid}`;
  // An ingest killed earlier leaves only its temporary folder behind: remove it, then start over.
  const parent = path.dirname(dir);
  if (fs.existsSync(parent)) {
    for (const f of fs.readdirSync(parent)) if (f.startsWith(`${path.basename(dir)}.tmp-`)) fs.rmSync(path.join(parent, f), { recursive: true, force: true });
  }
  fs.mkdirSync(tmp, { recursive: true });
  const levels: LevelMeta[] = [levelMeta(width, height, pixelSize, 0)];
  let maxValue = 0;
  // Level 0: one strip of BLOCK rows at a time, assembled from every file that covers it, cut into blocks.
  const l0 = new LevelWriter(tmp, levels[0]!);
  // Decoding (LZW, DEFLATE) runs in geotiff.js's worker pool: on 2 cores it reads 1.7x faster.
  const pool = new Pool(Math.max(1, Math.min(4, os.availableParallelism())));
  try {
    for (let by = 0; by < levels[0]!.rows; by++) {
      onProgress?.({ read: by, total: levels[0]!.rows, features: by * levels[0]!.cols });
      const y0 = by * BLOCK;
      const h = Math.min(BLOCK, height - y0);
      const strip = new Uint8Array(width * h);
      for (const s of sources) {
        const top = Math.max(y0, s.y0);
        const bottom = Math.min(y0 + h, s.y0 + s.height);
        if (top >= bottom) continue;
        let part: Uint8Array;
        try {
          [part] = (await s.image.readRasters({ window: [0, top - s.y0, s.width, bottom - s.y0], interleave: false, pool })) as unknown as [Uint8Array];
        } catch (e) {
          fs.rmSync(tmp, { recursive: true, force: true });
          throw new RasterInputError(`${path.basename(s.file)} is corrupt near row ${top - s.y0}: ${(e as Error).message}`);
        }
        for (let r = 0; r < bottom - top; r++) {
          const row = part.subarray(r * s.width, (r + 1) * s.width);
          const target = (top - y0 + r) * width + s.x0;
          if (s.nodata === null) strip.set(row, target);
          else for (let c = 0; c < s.width; c++) strip[target + c] = row[c] === s.nodata ? 0 : row[c]!; // no data draws nothing
        }
      }
      for (let i = 0; i < strip.length; i++) if (strip[i]! > maxValue) maxValue = strip[i]!;
      for (let bx = 0; bx < levels[0]!.cols; bx++) {
        const block = new Uint8Array(BLOCK * BLOCK);
        const x0 = bx * BLOCK;
        const w = Math.min(BLOCK, width - x0);
        for (let r = 0; r < h; r++) block.set(strip.subarray(r * width + x0, r * width + x0 + w), r * BLOCK);
        l0.write(block);
      }
    }
  } finally {
    pool.destroy();
  }
  l0.finish();
  onProgress?.({ read: levels[0]!.rows, total: levels[0]!.rows, features: levels[0]!.rows * levels[0]!.cols });
  // Overviews until one block covers the layer. Loss keeps the latest loss of each 2 x 2 (small clearings
  // stay visible at low zoom); tree cover keeps the mean.
  let level = 0;
  while (levels[level]!.cols > 1 || levels[level]!.rows > 1) {
    const src = levels[level]!;
    fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify({ version: 1, kind, west, north, pixelSize, pixelSizeY, width, height, maxValue, levels }));
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
  const meta: StoreMeta = { version: 1, kind, west, north, pixelSize, pixelSizeY, width, height, maxValue, levels };
  fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(meta, null, 1));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return meta;
}
