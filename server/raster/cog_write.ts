// Writes a store's levels as one Cloud-Optimized GeoTIFF: the store's deflated 256 x 256 blocks become
// the TIFF's tiles byte for byte (TIFF compression 8 is the same zlib stream), all-zero blocks are
// sparse tiles (offset and byte count 0, which GDAL reads as 0), level n is the n-th overview.
// The layout is the one GDAL's COG validator asks for: IFDs first (main image, then overviews by
// decreasing size), then the tile data from the smallest overview to the full resolution, each level
// row by row. Written here rather than by GDAL or geotiff.js: GDAL is not a dependency of the app,
// and geotiff.js writes neither tiles nor overviews; here no block is decoded or deflated again.
import fs from 'node:fs';
import { BLOCK, type StoreMeta } from './block_store';

/** Where each tile of a level comes from: an (offset, length) index into a file, with some tiles replaced. */
export interface LevelTiles {
  /** (offset, length) per tile, row-major; length 0 = an all-zero tile. */
  index: Float64Array;
  /** The file the index points into. */
  fd: number;
  /** Tiles whose bytes are given instead (null = now all zero). */
  replaced?: Map<number, Uint8Array | null>;
}

const TAG = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  SamplesPerPixel: 277,
  PlanarConfiguration: 284,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SampleFormat: 339,
  ModelPixelScale: 33550,
  ModelTiepoint: 33922,
  GeoKeyDirectory: 34735,
} as const;
const TYPE = { SHORT: 3, LONG: 4, DOUBLE: 12, LONG8: 16 } as const;
const TYPE_SIZE: Record<number, number> = { 3: 2, 4: 4, 12: 8, 16: 8 };

interface Entry {
  tag: number;
  type: number;
  values: ArrayLike<number>;
}

// GDAL's hidden structural metadata, right after the header: it tells GDAL the IFDs come first and
// each level's tiles are in row-major order, so it can read a range of tiles in one request.
const GHOST_BODY = 'LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nKNOWN_INCOMPATIBLE_EDITION=NO\n';
const GHOST = `GDAL_STRUCTURAL_METADATA_SIZE=${String(GHOST_BODY.length).padStart(6, '0')} bytes\n${GHOST_BODY}`;

/** Writes `file` (through a temporary name, so a reader never sees half a file) and returns its size. */
export function writeCog(file: string, meta: StoreMeta, levels: LevelTiles[], options: { bigTiff?: boolean } = {}): number {
  const lengths = levels.map((l) => tileLengths(l));
  const dataBytes = lengths.reduce((s, ls) => s + ls.reduce((a, b) => a + b, 0), 0);
  const tiles = lengths.reduce((s, ls) => s + ls.length, 0);
  // Classic TIFF addresses 4 GiB; a larger layer (all of Peru's alerts at 10 m) is a BigTIFF.
  const big = options.bigTiff ?? dataBytes + tiles * 16 + 65_536 > 0xffff_ffff;
  const layout = ifdLayout(meta, lengths, big);
  const head = Buffer.alloc(layout.dataStart);
  writeHeader(head, big, layout.firstIfd);
  head.write(GHOST, big ? 16 : 8, 'latin1');
  // Tile offsets: data starts with the smallest level.
  const offsets = lengths.map((ls) => new Float64Array(ls.length));
  let at = layout.dataStart;
  for (let level = levels.length - 1; level >= 0; level--) {
    const ls = lengths[level]!;
    for (let i = 0; i < ls.length; i++) {
      if (ls[i] === 0) continue;
      offsets[level]![i] = at;
      at += ls[i]!;
    }
  }
  for (let level = 0; level < levels.length; level++) writeIfd(head, layout.ifds[level]!, entriesOf(meta, level, offsets[level]!, lengths[level]!, big), big);

  const tmp = `${file}.tmp-${process.pid}`;
  const out = fs.openSync(tmp, 'w');
  try {
    const writer = bufferedWriter(out);
    writer.write(head);
    for (let level = levels.length - 1; level >= 0; level--) {
      const { index, fd, replaced } = levels[level]!;
      for (let i = 0; i < lengths[level]!.length; i++) {
        const r = replaced?.get(i);
        if (r !== undefined) {
          if (r) writer.write(r);
          continue;
        }
        const length = index[i * 2 + 1]!;
        if (length > 0) writer.copy(fd, index[i * 2]!, length);
      }
    }
    writer.flush();
    fs.fsyncSync(out);
  } catch (e) {
    fs.closeSync(out);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(out);
  fs.renameSync(tmp, file);
  return at;
}

function tileLengths({ index, replaced }: LevelTiles): number[] {
  const n = index.length / 2;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const r = replaced?.get(i);
    out[i] = r === undefined ? index[i * 2 + 1]! : (r?.length ?? 0);
  }
  return out;
}

function entriesOf(meta: StoreMeta, level: number, offsets: Float64Array, lengths: number[], big: boolean): Entry[] {
  const lv = meta.levels[level]!;
  const bits = meta.bytesPerPixel === 2 ? 16 : 8;
  const entries: Entry[] = [
    { tag: TAG.NewSubfileType, type: TYPE.LONG, values: [level === 0 ? 0 : 1] },
    { tag: TAG.ImageWidth, type: TYPE.LONG, values: [lv.width] },
    { tag: TAG.ImageLength, type: TYPE.LONG, values: [lv.height] },
    { tag: TAG.BitsPerSample, type: TYPE.SHORT, values: [bits] },
    { tag: TAG.Compression, type: TYPE.SHORT, values: [8] }, // Adobe deflate (zlib)
    { tag: TAG.Photometric, type: TYPE.SHORT, values: [1] }, // black is zero
    { tag: TAG.SamplesPerPixel, type: TYPE.SHORT, values: [1] },
    { tag: TAG.PlanarConfiguration, type: TYPE.SHORT, values: [1] },
    { tag: TAG.TileWidth, type: TYPE.SHORT, values: [BLOCK] },
    { tag: TAG.TileLength, type: TYPE.SHORT, values: [BLOCK] },
    { tag: TAG.TileOffsets, type: big ? TYPE.LONG8 : TYPE.LONG, values: offsets },
    { tag: TAG.TileByteCounts, type: TYPE.LONG, values: lengths },
    { tag: TAG.SampleFormat, type: TYPE.SHORT, values: [1] }, // unsigned integers
  ];
  if (level === 0) {
    entries.push(
      { tag: TAG.ModelPixelScale, type: TYPE.DOUBLE, values: [meta.pixelSize, meta.pixelSizeY ?? meta.pixelSize, 0] },
      { tag: TAG.ModelTiepoint, type: TYPE.DOUBLE, values: [0, 0, 0, meta.west, meta.north, 0] },
      // Geographic WGS 84 (EPSG:4326), pixels as areas: the grid of the Hansen and alert rasters.
      { tag: TAG.GeoKeyDirectory, type: TYPE.SHORT, values: [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326] },
    );
  }
  return entries;
}

interface IfdPlace {
  /** Where the IFD starts. */
  at: number;
  /** Where its out-of-line values start (right after it). */
  values: number;
  /** Where the next IFD starts (0 for the last). */
  next: number;
}

/** Places every IFD and its values after the header and GDAL's metadata; the data starts after them. */
function ifdLayout(meta: StoreMeta, lengths: number[][], big: boolean): { firstIfd: number; ifds: IfdPlace[]; dataStart: number } {
  let at = (big ? 16 : 8) + GHOST.length;
  at += at % 2;
  const firstIfd = at;
  const ifds: IfdPlace[] = [];
  for (let level = 0; level < lengths.length; level++) {
    // Sizes only: the values of the offsets do not change how much room they take.
    const entries = entriesOf(meta, level, new Float64Array(lengths[level]!.length), lengths[level]!, big);
    const ifdSize = big ? 8 + entries.length * 20 + 8 : 2 + entries.length * 12 + 4;
    const values = at + ifdSize;
    let end = values;
    for (const e of entries) {
      const size = e.values.length * TYPE_SIZE[e.type]!;
      if (size > (big ? 8 : 4)) end += size + (size % 2);
    }
    ifds.push({ at, values, next: 0 });
    at = end + (end % 2);
  }
  for (let i = 0; i + 1 < ifds.length; i++) ifds[i]!.next = ifds[i + 1]!.at;
  return { firstIfd, ifds, dataStart: at };
}

function writeHeader(b: Buffer, big: boolean, firstIfd: number): void {
  b.write('II', 0, 'latin1');
  if (big) {
    b.writeUInt16LE(43, 2);
    b.writeUInt16LE(8, 4);
    b.writeUInt16LE(0, 6);
    b.writeBigUInt64LE(BigInt(firstIfd), 8);
  } else {
    b.writeUInt16LE(42, 2);
    b.writeUInt32LE(firstIfd, 4);
  }
}

function writeIfd(b: Buffer, place: IfdPlace, entries: Entry[], big: boolean): void {
  let p = place.at;
  let values = place.values;
  if (big) {
    b.writeBigUInt64LE(BigInt(entries.length), p);
    p += 8;
  } else {
    b.writeUInt16LE(entries.length, p);
    p += 2;
  }
  for (const e of entries) {
    const size = e.values.length * TYPE_SIZE[e.type]!;
    const inline = size <= (big ? 8 : 4);
    b.writeUInt16LE(e.tag, p);
    b.writeUInt16LE(e.type, p + 2);
    if (big) b.writeBigUInt64LE(BigInt(e.values.length), p + 4);
    else b.writeUInt32LE(e.values.length, p + 4);
    const field = p + (big ? 12 : 8);
    if (inline) writeValues(b, field, e);
    else {
      if (big) b.writeBigUInt64LE(BigInt(values), field);
      else b.writeUInt32LE(values, field);
      writeValues(b, values, e);
      values += size + (size % 2);
    }
    p += big ? 20 : 12;
  }
  if (big) b.writeBigUInt64LE(BigInt(place.next), p);
  else b.writeUInt32LE(place.next, p);
}

function writeValues(b: Buffer, at: number, e: Entry): void {
  const size = TYPE_SIZE[e.type]!;
  for (let i = 0; i < e.values.length; i++) {
    const v = e.values[i]!;
    const o = at + i * size;
    if (e.type === TYPE.SHORT) b.writeUInt16LE(v, o);
    else if (e.type === TYPE.LONG) b.writeUInt32LE(v, o);
    else if (e.type === TYPE.LONG8) b.writeBigUInt64LE(BigInt(v), o);
    else b.writeDoubleLE(v, o);
  }
}

/** Gathers small writes and copies into 4 MiB writes. */
function bufferedWriter(fd: number) {
  const buf = Buffer.allocUnsafe(4 << 20);
  let used = 0;
  const flush = () => {
    let done = 0;
    while (done < used) done += fs.writeSync(fd, buf, done, used - done);
    used = 0;
  };
  return {
    flush,
    write(bytes: Uint8Array) {
      if (used + bytes.length > buf.length) flush();
      if (bytes.length > buf.length) {
        let done = 0;
        while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
        return;
      }
      buf.set(bytes, used);
      used += bytes.length;
    },
    copy(from: number, offset: number, length: number) {
      if (used + length > buf.length) flush();
      if (length > buf.length) {
        const tmp = Buffer.allocUnsafe(length);
        fs.readSync(from, tmp, 0, length, offset);
        this.write(tmp);
        return;
      }
      let done = 0;
      while (done < length) {
        const n = fs.readSync(from, buf, used + done, length - done, offset + done);
        if (n === 0) throw new Error(`a block ends past the end of its file (offset ${offset}, ${length} bytes)`);
        done += n;
      }
      used += length;
    },
  };
}
