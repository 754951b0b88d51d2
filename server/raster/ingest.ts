// Ingest a single-band GeoTIFF (or a mosaic) into the block store. Worker threads read the source
// strips or tiles straight from the files and decode them (LZW by hand, DEFLATE by node:zlib), cut
// block rows and overviews and deflate the blocks; this thread only writes them, in order, so a
// server stays responsive while it ingests. Files compressed otherwise go through geotiff.js.
// Memory stays at a few block rows per thread; the hot paths never touch the GeoTIFF again.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fromFile, Pool } from 'geotiff';
import type { Piscina } from 'piscina';
import { workerPool } from '../worker_threads';
import { readTiffLayout, type TiffLayout } from './tiff_layout';
import type { BlockRowResult, IngestSource, OverviewTask, RowsTask } from './ingest_worker';
import { BLOCK, LevelWriter, levelMeta, type LevelMeta, type StoreMeta } from './block_store';
import { finishStore } from './store_pack';
import { publishStore } from './remote/publish_store';
import { rasterObjects } from './remote/raster_objects';
import { mergeRanges, valueRange, type ValueRange } from './value_range';

export class RasterInputError extends Error {}

interface SourceImage {
  file: string;
  layout: TiffLayout | undefined;
  image: Awaited<ReturnType<Awaited<ReturnType<typeof fromFile>>['getImage']>>;
  /** Pixel offset of the file in the mosaic grid. */
  x0: number;
  y0: number;
  width: number;
  height: number;
  nodata: number | null;
}

/** 400,000 pixels a side: ten Hansen 10-degree tiles across. */
const MAX_SIDE = 400_000;

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
  // A header can declare anything: refuse sizes no real layer has, and strips or tiles that point
  // past the end of the file, before allocating or reading a byte of them.
  const width = image.getWidth(), height = image.getHeight();
  if (!(width > 0 && height > 0) || width > MAX_SIDE || height > MAX_SIDE) throw new RasterInputError(`${name} declares ${width} x ${height} pixels; a layer is at most ${MAX_SIDE} pixels a side (split it into tiles and register them as a mosaic).`);
  const layout = await readTiffLayout(image);
  if (layout) {
    const blocks = Math.ceil(width / layout.tileWidth) * Math.ceil(height / layout.tileHeight);
    if (layout.offsets.length < blocks) throw new RasterInputError(`${name} is corrupt: it declares ${width} x ${height} pixels but holds ${layout.offsets.length} of the ${blocks} blocks that needs.`);
    const size = fs.statSync(file).size;
    const beyond = layout.offsets.findIndex((o, i) => o + (layout.counts[i] ?? 0) > size);
    if (beyond >= 0) throw new RasterInputError(`${name} is truncated or corrupt: block ${beyond} lies past the end of the file (${size} bytes).`);
  }
  return { file, image, layout, west, north, pixelSize: Math.abs(sx!), pixelSizeY: Math.abs(sy!), width: image.getWidth(), height: image.getHeight(), nodata: image.getGDALNoData() };
}

/**
 * Reads one GeoTIFF or a mosaic of GeoTIFFs on the same grid (Hansen tiles), checks them, and writes
 * the store into `dir`, replacing an existing store only once the new one is complete.
 */
export async function ingestGeoTiff(
  files: string | string[],
  dir: string,
  kind: Exclude<StoreMeta['kind'], 'alert'>,
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
    return { file: o.file, image: o.image, layout: o.layout, x0: Math.round(x0), y0: Math.round(y0), width: o.width, height: o.height, nodata: o.nodata };
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
  let range: ValueRange = { min: 0, max: 0 };
  const threads = Math.max(1, Math.min(4, os.availableParallelism()));
  const workers = workerPool(import.meta.url, 'ingest_worker', { minThreads: threads, maxThreads: threads });
  const fail = (e: unknown): never => {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (e instanceof Error && / is corrupt: /.test(e.message)) throw new RasterInputError(e.message);
    throw e;
  };

  try {
    // Level 0: rows of blocks, assembled from every file that covers them.
    const l0 = new LevelWriter(tmp, levels[0]!);
    if (sources.every((s) => s.layout)) {
      // A task covers whole source tiles in height, so no tile is decoded twice.
      const perTask = Math.max(1, ...sources.map((s) => Math.ceil(s.layout!.tileHeight / BLOCK)));
      const ingestSources: IngestSource[] = sources.map((s) => ({ file: s.file, layout: s.layout!, x0: s.x0, y0: s.y0, nodata: s.nodata }));
      const tasks: RowsTask[] = [];
      for (let br = 0; br < levels[0]!.rows; br += perTask) tasks.push({ op: 'rows', sources: ingestSources, width, height, firstBlockRow: br, blockRows: Math.min(perTask, levels[0]!.rows - br) });
      await runInOrder(workers, tasks, threads * 2, (r) => {
        for (const b of r.blocks) l0.writeCompressed(b);
        range = mergeRanges(range, { min: r.minValue, max: r.maxValue });
        onProgress?.({ read: r.blockRow + 1, total: levels[0]!.rows, features: (r.blockRow + 1) * levels[0]!.cols });
      }).catch(fail);
    } else {
      range = await decodeWithGeotiff(sources, width, height, levels[0]!, l0, tmp, onProgress);
    }
    l0.finish();
    onProgress?.({ read: levels[0]!.rows, total: levels[0]!.rows, features: levels[0]!.rows * levels[0]!.cols });
    // Overviews until one block covers the layer. Loss keeps the latest loss of each 2 x 2 (small
    // clearings stay visible at low zoom); tree cover keeps the mean.
    let level = 0;
    while (levels[level]!.cols > 1 || levels[level]!.rows > 1) {
      const src = levels[level]!;
      fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify({ version: 1, kind, west, north, pixelSize, pixelSizeY, width, height, maxValue: range.max, minValue: range.min, levels }));
      const dst = levelMeta(Math.ceil(src.width / 2), Math.ceil(src.height / 2), src.pixelSize * 2, level + 1);
      const writer = new LevelWriter(tmp, dst);
      const tasks: OverviewTask[] = [];
      for (let row = 0; row < dst.rows; row++) tasks.push({ op: 'overview', dir: tmp, level, kind, dstRow: row, dstCols: dst.cols });
      await runInOrder(workers, tasks, threads * 2, (r) => {
        for (const b of r.blocks) writer.writeCompressed(b);
      });
      writer.finish();
      levels.push(dst);
      level++;
    }
  } finally {
    await workers.destroy();
  }
  // The levels become one COG (their blocks copied as its tiles), which the folder then holds alone.
  const meta = finishStore(tmp, { version: 1, kind, west, north, pixelSize, pixelSizeY, width, height, maxValue: range.max, minValue: range.min, levels });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  // With ATALAYA_RASTER_STORE=s3://..., the COG then goes to the object store (the folder keeps meta.json).
  return rasterObjects() ? publishStore(dir) : meta;
}

/**
 * Runs tasks on the pool with at most `inFlight` at once and hands each block row to `write` in
 * order (blocks must be written row-major), holding back rows that finish early.
 */
async function runInOrder<T>(pool: Piscina, tasks: T[], inFlight: number, write: (r: BlockRowResult) => void): Promise<void> {
  const done = new Map<number, BlockRowResult[]>();
  let nextTask = 0;
  let nextToWrite = 0;
  let failure: unknown;
  await new Promise<void>((resolve, reject) => {
    let running = 0;
    const pump = () => {
      if (failure !== undefined) return;
      while (done.has(nextToWrite)) {
        const results = done.get(nextToWrite)!;
        done.delete(nextToWrite);
        try {
          for (const r of results) write(r);
        } catch (e) {
          failure = e;
          reject(e);
          return;
        }
        nextToWrite++;
      }
      // Bounded: never more than inFlight tasks running or waiting to be written.
      while (running < inFlight && nextTask < tasks.length && nextTask - nextToWrite < inFlight * 2) {
        const i = nextTask++;
        running++;
        (pool.run(tasks[i]) as Promise<BlockRowResult[]>).then(
          (r) => {
            running--;
            done.set(i, r);
            pump();
          },
          (e: unknown) => {
            running--;
            if (failure === undefined) {
              failure = e;
              reject(e);
            }
          },
        );
      }
      if (nextToWrite === tasks.length) resolve();
    };
    pump();
  });
}

/** The fallback for compressions Atalaya does not decode itself: geotiff.js, strip by strip. */
async function decodeWithGeotiff(
  sources: SourceImage[],
  width: number,
  height: number,
  l0Meta: LevelMeta,
  l0: LevelWriter,
  tmp: string,
  onProgress?: (p: { read: number; total: number; features: number }) => void,
): Promise<ValueRange> {
  let range: ValueRange = { min: 0, max: 0 };
  const pool = new Pool(Math.max(1, Math.min(4, os.availableParallelism())));
  try {
    for (let by = 0; by < l0Meta.rows; by++) {
      onProgress?.({ read: by, total: l0Meta.rows, features: by * l0Meta.cols });
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
      range = valueRange(strip, range);
      for (let bx = 0; bx < l0Meta.cols; bx++) {
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
  return range;
}
