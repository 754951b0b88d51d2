// Reads alert GeoTIFFs of one source (GFW integrated, GLAD-L, RADD: 10 x 10 degree tiles on their
// published grids) into a 16-bit block store in the normalised encoding (alert_encoding.ts). Files
// are read strip by strip (one row of 256 x 256 blocks at a time) with geotiff.js, so memory stays at
// a strip whatever the tile's size; empty blocks are not stored, so a sparse tile stays small. Every
// pixel is checked (its value in the source's encoding, no date after today) and a bad file fails,
// naming it, before the layer's current store is touched: the new store replaces it by a rename.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fromFile, Pool } from 'geotiff';
import { BLOCK, BlockStore, LevelWriter, levelMeta, type LevelMeta, type StoreMeta } from '../raster/block_store';
import { finishStore, packStore, removeUnnamedFiles, switchMeta } from '../raster/store_pack';
import { copyToFolder, publishStore } from '../raster/remote/publish_store';
import { rasterObjects } from '../raster/remote/raster_objects';
import { openRowReader, type RowReader } from './tiff_rows';
import { AlertValueError, MAX_DAY, alertDay, dateOfDay, decodeGfwIntegrated, decodeGladL, decodeRadd, today, type AlertSource } from './alert_encoding';

export class AlertInputError extends Error {}

type Image = Awaited<ReturnType<Awaited<ReturnType<typeof fromFile>>['getImage']>>;

/** One tile of the mosaic: its image(s) and where it sits in the mosaic grid. */
interface AlertTile {
  name: string;
  /** GLAD-L: the `alert` image and its `alertDate` partner; others: one image. */
  images: Image[];
  files: string[];
  /** Fast readers of single-band images, one per image where the file allows it. */
  readers?: (RowReader | undefined)[];
  year?: number;
  west: number;
  north: number;
  pixelSize: number;
  width: number;
  height: number;
  x0: number;
  y0: number;
}

/** The largest published tile: 10 degrees at GFW's 0.0001-degree (about 10 m) integrated alerts. */
const MAX_SIDE = 100_000;

/** The published tile name's corner ("10S_080W" = north -10, west -80), when the file name has one. */
export function tileCorner(fileName: string): { north: number; west: number } | undefined {
  const m = /(\d{2})([NS])_(\d{3})([EW])/.exec(fileName);
  if (!m) return undefined;
  return { north: Number(m[1]) * (m[2] === 'S' ? -1 : 1), west: Number(m[3]) * (m[4] === 'W' ? -1 : 1) };
}

async function openImage(file: string): Promise<Image> {
  try {
    return await (await fromFile(file)).getImage();
  } catch (e) {
    throw new AlertInputError(`${path.basename(file)} is not a readable GeoTIFF: ${(e as Error).message}`);
  }
}

/** Checks what every source shares: EPSG:4326, square pixels, a tile of the 10-degree grid, a sane size. */
function place(name: string, image: Image, onTileGrid: boolean): { west: number; north: number; pixelSize: number; width: number; height: number } {
  const epsg = image.getGeoKeys()?.GeographicTypeGeoKey;
  if (epsg !== 4326) throw new AlertInputError(`${name} is not in EPSG:4326 (geographic key ${epsg ?? 'missing'}); alert tiles are published in it, reproject nothing and check the file.`);
  const [sx, sy] = image.getResolution() as [number, number];
  if (Math.abs(Math.abs(sx) - Math.abs(sy)) > Math.abs(sx) * 1e-6) throw new AlertInputError(`${name} has non-square pixels.`);
  const [west, , , north] = image.getBoundingBox() as [number, number, number, number];
  const width = image.getWidth(), height = image.getHeight();
  if (!(width > 0 && height > 0) || width > MAX_SIDE || height > MAX_SIDE) throw new AlertInputError(`${name} declares ${width} x ${height} pixels; an alert tile is at most ${MAX_SIDE} a side.`);
  // Alert tiles sit on the 10 x 10 degree grid of Hansen/GFW: a corner off it is a clipped or reprojected file.
  const off = (v: number) => Math.abs(v / 10 - Math.round(v / 10)) > 1e-9;
  if (onTileGrid && (off(west) || off(north))) throw new AlertInputError(`${name} is off the 10-degree tile grid: its corner is (${west}, ${north}); alert tiles start at multiples of 10 degrees (e.g. 10S_080W = west -80, north -10).`);
  if (onTileGrid && Math.max(width, height) * Math.abs(sx) > 10 + 1e-6) throw new AlertInputError(`${name} spans ${(Math.max(width, height) * Math.abs(sx)).toFixed(2)} degrees; an alert tile spans at most 10 (its grid cell).`);
  const corner = tileCorner(name);
  if (corner && (Math.abs(corner.west - west) > 1e-9 || Math.abs(corner.north - north) > 1e-9)) throw new AlertInputError(`${name} is named for tile (${corner.west}, ${corner.north}) but its corner is (${west}, ${north}).`);
  return { west, north, pixelSize: Math.abs(sx), width, height };
}

function expect(name: string, image: Image, bands: number, bits: number, source: AlertSource, what: string): void {
  const fmt = image.getSampleFormat();
  if (image.getSamplesPerPixel() !== bands || image.getBitsPerSample() !== bits || fmt === 3 || fmt === 2)
    throw new AlertInputError(`${name} has ${image.getSamplesPerPixel()} band(s) of ${image.getBitsPerSample()}-bit ${fmt === 3 ? 'float' : fmt === 2 ? 'signed' : 'unsigned'} values; --source ${source} expects ${what}. Is --source right for this file?`);
}

/** Groups the files into tiles as the source publishes them. */
async function openTiles(files: string[], source: AlertSource, year: number | undefined, onTileGrid: boolean): Promise<AlertTile[]> {
  const placeOf = (name: string, image: Image) => place(name, image, onTileGrid);
  if (files.length === 0) throw new AlertInputError('No alert file given.');
  const tiles: AlertTile[] = [];
  if (source === 'glad-l') {
    // GLAD-L publishes per year and tile an `alert` file (classes) and an `alertDate` file (day of year).
    const dates = files.filter((f) => /alertdate/i.test(path.basename(f)));
    const alerts = files.filter((f) => !dates.includes(f));
    if (alerts.length !== dates.length) throw new AlertInputError('GLAD-L comes as pairs: each tile\'s alert file (e.g. alert24_10S_080W.tif) with its alertDate file (alertDate24_10S_080W.tif).');
    for (const a of alerts) {
      const key = path.basename(a).toLowerCase().replace(/^alert/, '');
      const d = dates.find((f) => path.basename(f).toLowerCase().replace(/^alertdate/, '') === key);
      if (!d) throw new AlertInputError(`${path.basename(a)} has no alertDate partner (expected alertDate${key}).`);
      const yy = /^alert(\d{2})(?!\d)/i.exec(path.basename(a))?.[1];
      const y = year ?? (yy ? 2000 + Number(yy) : undefined);
      if (y === undefined) throw new AlertInputError(`${path.basename(a)}: give the year (--year), or name the files as published (alert24_..., alertDate24_...).`);
      const [ia, id] = [await openImage(a), await openImage(d)];
      expect(path.basename(a), ia, 1, 8, source, 'one band of uint8 classes (2 probable, 3 confirmed)');
      expect(path.basename(d), id, 1, 16, source, 'one band of uint16 days of the year');
      const p = placeOf(path.basename(a), ia);
      const q = placeOf(path.basename(d), id);
      if (p.west !== q.west || p.north !== q.north || p.width !== q.width || p.height !== q.height) throw new AlertInputError(`${path.basename(d)} does not cover the same pixels as ${path.basename(a)}.`);
      tiles.push({ name: path.basename(a), images: [ia, id], files: [a, d], year: y, ...p, x0: 0, y0: 0 });
    }
  } else {
    for (const f of files) {
      const image = await openImage(f);
      if (source === 'gfw-integrated') expect(path.basename(f), image, 1, 16, source, 'one band of uint16 (confidence x 10000 + days since 2014-12-31)');
      else expect(path.basename(f), image, 2, 16, source, 'two bands: Alert (2 low, 3 high) and Date (YYDOY), uint16');
      tiles.push({ name: path.basename(f), images: [image], files: [f], ...placeOf(path.basename(f), image), x0: 0, y0: 0 });
    }
  }
  return tiles;
}

/**
 * Decodes one source strip to normalised values, checking each pixel; `tile.name` and the pixel go
 * into the error of a bad one. Returns the newest day seen.
 */
function decodeStrip(source: AlertSource, tile: AlertTile, bands: ArrayLike<number>[], out: Uint16Array, outOffset: number, outStride: number, rows: number, firstRow: number, lastDay: number): number {
  const w = tile.width;
  let newest = 0;
  for (let r = 0; r < rows; r++) {
    const o = outOffset + r * outStride;
    for (let c = 0; c < w; c++) {
      const i = r * w + c;
      const a = bands[0]![i]!;
      if (a === 0) continue;
      let v: number;
      try {
        v = source === 'gfw-integrated' ? decodeGfwIntegrated(a) : source === 'glad-l' ? decodeGladL(a, bands[1]![i]!, tile.year!) : decodeRadd(a, bands[1]![i]!);
      } catch (e) {
        if (e instanceof AlertValueError) throw new AlertInputError(`${tile.name}: pixel (column ${c}, row ${firstRow + r}) has ${e.message}; the file does not follow --source ${source}.`);
        throw e;
      }
      const day = alertDay(v);
      if (day > lastDay) throw new AlertInputError(`${tile.name}: pixel (column ${c}, row ${firstRow + r}) is dated ${dateOfDay(day)}, after today (${dateOfDay(lastDay)}); a future date means a wrong --source or a corrupt file.`);
      if (day > newest) newest = day;
      out[o + c] = v;
    }
  }
  return newest;
}

export interface AlertIngestResult {
  meta: StoreMeta;
  firstDay: number;
  lastDay: number;
  alertPixels: number;
  /** Level-0 blocks whose content differs from the store this one replaced (all when it is new). */
  changedBlocks: number;
  /** Their indexes (row x cols + column) when the grid is the one replaced; null when all changed. */
  changedIndexes: number[] | null;
  totalBlocks: number;
}

type AlertIngestOptions = { year?: number | undefined; now?: number; previousDir?: string | undefined; onTileGrid?: boolean; full?: boolean; onProgress?: (p: { read: number; total: number; features: number }) => void };

/**
 * Builds the alert store of `files` into `dir`, replacing what was there only when complete. With
 * the object store (ATALAYA_RASTER_STORE), an update in place first copies the current COG into the
 * folder (its unchanged tiles are copied from it) and the result is published there.
 */
export async function ingestAlerts(files: string[], dir: string, source: AlertSource, options: AlertIngestOptions = {}): Promise<AlertIngestResult> {
  if (rasterObjects() && fs.existsSync(path.join(dir, 'meta.json'))) await copyToFolder(dir);
  const result = await writeAlerts(files, dir, source, options);
  return rasterObjects() ? { ...result, meta: await publishStore(dir) } : result;
}

async function writeAlerts(files: string[], dir: string, source: AlertSource, options: AlertIngestOptions): Promise<AlertIngestResult> {
  const tiles = await openTiles(files.map((f) => path.resolve(f)), source, options.year, options.onTileGrid ?? true);
  const pixelSize = tiles[0]!.pixelSize;
  const west = Math.min(...tiles.map((t) => t.west));
  const north = Math.max(...tiles.map((t) => t.north));
  for (const t of tiles) {
    const x0 = (t.west - west) / pixelSize;
    const y0 = (north - t.north) / pixelSize;
    if (Math.abs(t.pixelSize - pixelSize) > pixelSize * 1e-9 || Math.abs(x0 - Math.round(x0)) > 1e-6 || Math.abs(y0 - Math.round(y0)) > 1e-6) throw new AlertInputError(`${t.name} is not on the pixel grid of ${tiles[0]!.name}.`);
    t.x0 = Math.round(x0);
    t.y0 = Math.round(y0);
  }
  const width = Math.max(...tiles.map((t) => t.x0 + t.width));
  const height = Math.max(...tiles.map((t) => t.y0 + t.height));
  const lastAllowed = Math.min(MAX_DAY, today(options.now));
  try {
    for (const t of tiles) t.readers = await Promise.all(t.images.map((image, i) => openRowReader(t.files[i]!, image)));
  } catch (e) {
    for (const t of tiles) for (const r of t.readers ?? []) r?.close();
    throw new AlertInputError((e as Error).message);
  }
  const levels: LevelMeta[] = [levelMeta(width, height, pixelSize, 0)];
  // The store this one replaces (wherever it lives), to tell which blocks changed.
  const previousDir = options.previousDir ?? dir;
  const previous = fs.existsSync(path.join(previousDir, 'meta.json')) ? new BlockStore(previousDir, 16) : undefined;
  const sameGrid = previous && previous.meta.width === width && previous.meta.height === height && previous.meta.west === west && previous.meta.north === north;
  // A newer file for the same tiles in the same folder: only its changed blocks are deflated; the
  // new COG copies every other tile from the current one (layer.<generation>.tif, which meta.json
  // switches to at once). A store still in level files (before the COG) is written whole.
  const inPlace = Boolean(sameGrid && !options.full && previous!.meta.file && path.resolve(previousDir) === path.resolve(dir) && previous!.meta.levels.length > 0);
  const changedData = new Map<number, Uint8Array | null>();
  let changedBytes = 0;
  let restart = false;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!inPlace) fs.mkdirSync(tmp, { recursive: true });
  const pool = new Pool(Math.max(1, Math.min(2, os.availableParallelism())));
  let firstDay = Number.MAX_SAFE_INTEGER;
  let lastDay = 0;
  let alertPixels = 0;
  let changedBlocks = 0;
  const changedIndexes: number[] = [];
  try {
    const l0 = inPlace ? undefined : new LevelWriter(tmp, levels[0]!);
    const strip = new Uint16Array(width * BLOCK);
    for (let by = 0; by < levels[0]!.rows; by++) {
      options.onProgress?.({ read: by, total: levels[0]!.rows, features: by * levels[0]!.cols });
      const top = by * BLOCK;
      const h = Math.min(BLOCK, height - top);
      strip.fill(0);
      for (const t of tiles) {
        const from = Math.max(top, t.y0);
        const to = Math.min(top + h, t.y0 + t.height);
        if (from >= to) continue;
        const window = [0, from - t.y0, t.width, to - t.y0];
        const bands: ArrayLike<number>[] = [];
        try {
          if (t.readers && t.readers.every((r) => r)) {
            for (const r of t.readers) bands.push(r!.read(from - t.y0, to - t.y0));
          } else if (t.images.length === 2) {
            bands.push((await t.images[0]!.readRasters({ window, samples: [0], pool }))[0] as ArrayLike<number>);
            bands.push((await t.images[1]!.readRasters({ window, samples: [0], pool }))[0] as ArrayLike<number>);
          } else {
            const r = await t.images[0]!.readRasters({ window, pool });
            for (let b = 0; b < r.length; b++) bands.push(r[b] as ArrayLike<number>);
          }
        } catch (e) {
          throw new AlertInputError(`${t.name} is corrupt near row ${from - t.y0}: ${(e as Error).message}`);
        }
        const newest = decodeStrip(source, t, bands, strip, (from - top) * width + t.x0, width, to - from, from - t.y0, lastAllowed);
        if (newest > lastDay) lastDay = newest;
      }
      if (by % 4 === 3) await new Promise((r) => setImmediate(r)); // a server answers between block rows
      for (let bx = 0; bx < levels[0]!.cols; bx++) {
        const block = new Uint16Array(BLOCK * BLOCK);
        const x0 = bx * BLOCK;
        const w = Math.min(BLOCK, width - x0);
        for (let r = 0; r < h; r++) block.set(strip.subarray(r * width + x0, r * width + x0 + w), r * BLOCK);
        for (let i = 0; i < block.length; i++) {
          const v = block[i]!;
          if (v === 0) continue;
          alertPixels++;
          const d = alertDay(v);
          if (d < firstDay) firstDay = d;
        }
        const bytes = new Uint8Array(block.buffer);
        if (!sameGrid || !equalBlocks(previous!.block(0, bx, by), bytes)) {
          changedBlocks++;
          if (sameGrid) changedIndexes.push(by * levels[0]!.cols + bx);
          if (inPlace) {
            const deflated = isZero(bytes) ? null : zlib.deflateSync(bytes, { level: 1 });
            changedData.set(by * levels[0]!.cols + bx, deflated);
            changedBytes += deflated?.length ?? 0;
          }
        }
        l0?.write(bytes);
      }
      // An update that changes most of the layer is written whole instead (bounded memory).
      if (inPlace && changedBytes > IN_PLACE_MAX_BYTES) {
        restart = true;
        break;
      }
    }
    if (restart) throw RESTART; // written whole below, once this pass has let go of its files
    if (inPlace) {
      if (alertPixels === 0) firstDay = 0;
      return { ...updateInPlace(dir, previous!, changedData, { maxValue: lastDay, minValue: firstDay }), firstDay, lastDay, alertPixels, changedBlocks, changedIndexes, totalBlocks: levels[0]!.cols * levels[0]!.rows };
    }
    l0!.finish();
    // Overviews: each pixel keeps the maximum of its 2 x 2, which the encoding makes the newest alert.
    let level = 0;
    const partial: StoreMeta = { version: 1, kind: 'alert', bytesPerPixel: 2, west, north, pixelSize, width, height, maxValue: lastDay, minValue: 0, levels };
    while (levels[level]!.cols > 1 || levels[level]!.rows > 1) {
      fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(partial));
      const reader = new BlockStore(tmp, 64);
      const src = levels[level]!;
      const dst = levelMeta(Math.ceil(src.width / 2), Math.ceil(src.height / 2), src.pixelSize * 2, level + 1);
      const writer = new LevelWriter(tmp, dst);
      for (let row = 0; row < dst.rows; row++) for (let col = 0; col < dst.cols; col++) writer.write(new Uint8Array(overviewBlock(reader, level, col, row).buffer));
      reader.close();
      writer.finish();
      levels.push(dst);
      level++;
      await new Promise((r) => setImmediate(r)); // let a server answer between levels
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (e !== RESTART) throw e;
  } finally {
    pool.destroy();
    previous?.close();
    for (const t of tiles) for (const r of t.readers ?? []) r?.close();
  }
  if (restart) return writeAlerts(files, dir, source, { ...options, full: true });
  if (alertPixels === 0) firstDay = 0;
  const meta = finishStore(tmp, { version: 1, kind: 'alert', bytesPerPixel: 2, west, north, pixelSize, width, height, maxValue: lastDay, minValue: firstDay, levels });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return { meta, firstDay, lastDay, alertPixels, changedBlocks, changedIndexes: sameGrid ? changedIndexes : null, totalBlocks: levels[0]!.cols * levels[0]!.rows };
}

const RESTART = new Error('the update changes too much to write in place');

/** Compressed bytes of changed blocks an update keeps in memory before it writes the layer whole instead. */
const IN_PLACE_MAX_BYTES = 256 << 20;

function isZero(b: Uint8Array): boolean {
  const w = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  return true;
}

/**
 * Writes an update of an existing store: the changed level-0 blocks and the overview blocks above
 * them are new, every other tile is copied from the current COG into the next generation's
 * (layer.<generation>.tif); then meta.json, renamed into place, switches readers to it at once. A
 * process killed before that rename leaves the store as it was; readers already open keep the old
 * file (unlinked, not gone, while they hold it).
 */
function updateInPlace(dir: string, old: BlockStore, level0: Map<number, Uint8Array | null>, values: { maxValue: number; minValue: number }): { meta: StoreMeta } {
  const generation = (old.meta.generation ?? 0) + 1;
  const replaced: Map<number, Uint8Array | null>[] = [level0];
  for (let level = 1; level < old.meta.levels.length; level++) {
    // The parents of the blocks that changed below, recomputed from the new level below.
    const lv = old.meta.levels[level]!;
    const below = old.meta.levels[level - 1]!;
    const reader = withChanges(old, level - 1, replaced[level - 1]!);
    const parents = new Map<number, Uint8Array | null>();
    for (const i of replaced[level - 1]!.keys()) {
      const key = Math.floor(Math.floor(i / below.cols) / 2) * lv.cols + Math.floor((i % below.cols) / 2);
      if (parents.has(key)) continue;
      const block = new Uint8Array(overviewBlock(reader, level - 1, key % lv.cols, Math.floor(key / lv.cols)).buffer);
      parents.set(key, isZero(block) ? null : zlib.deflateSync(block, { level: 1 }));
    }
    replaced.push(parents);
  }
  const meta: StoreMeta = { ...packStore(dir, { ...old.meta, ...values }, `layer.${generation}.tif`, replaced), generation };
  switchMeta(dir, meta);
  removeUnnamedFiles(dir, meta);
  return { meta };
}

type BlockReader = Pick<BlockStore, 'isEmpty' | 'block16'>;

/** A level of the store read as it will be once the changed blocks (deflated; null = all zero) replace its own. */
function withChanges(store: BlockStore, changedLevel: number, changes: Map<number, Uint8Array | null>): BlockReader {
  const { cols, rows } = store.meta.levels[changedLevel]!;
  const changed = (level: number, bx: number, by: number) => (level === changedLevel && bx >= 0 && by >= 0 && bx < cols && by < rows ? by * cols + bx : -1);
  return {
    isEmpty: (level, bx, by) => {
      const i = changed(level, bx, by);
      return i >= 0 && changes.has(i) ? changes.get(i) === null : store.isEmpty(level, bx, by);
    },
    block16: (level, bx, by) => {
      const i = changed(level, bx, by);
      if (i < 0 || !changes.has(i)) return store.block16(level, bx, by);
      const bytes = changes.get(i);
      if (!bytes) return new Uint16Array(BLOCK * BLOCK);
      return new Uint16Array(new Uint8Array(zlib.inflateSync(bytes)).buffer);
    },
  };
}

function equalBlocks(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2);
  const wb = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
  return true;
}

/** One overview block: the maximum (newest alert) of each 2 x 2 of the level below. */
function overviewBlock(reader: BlockReader, level: number, bx: number, by: number): Uint16Array {
  const out = new Uint16Array(BLOCK * BLOCK);
  for (let q = 0; q < 4; q++) {
    const sx = bx * 2 + (q & 1), sy = by * 2 + (q >> 1);
    if (reader.isEmpty(level, sx, sy)) continue;
    const sb = reader.block16(level, sx, sy);
    const ox = (q & 1) * (BLOCK / 2);
    const oy = (q >> 1) * (BLOCK / 2);
    for (let r = 0; r < BLOCK / 2; r++) {
      const a0 = 2 * r * BLOCK;
      const o = (oy + r) * BLOCK + ox;
      for (let c = 0; c < BLOCK / 2; c++) out[o + c] = Math.max(sb[a0 + 2 * c]!, sb[a0 + 2 * c + 1]!, sb[a0 + BLOCK + 2 * c]!, sb[a0 + BLOCK + 2 * c + 1]!);
    }
  }
  return out;
}
