// Atalaya's raster store: each level of a layer is a grid of 256 x 256 blocks, each deflated on its own
// (node:zlib inflates at about 1 GB/s, against 17-52 Mpx/s for geotiff.js readRasters: BENCH.md (b)),
// with an index of offsets. Level 0 is the source grid; level n halves the resolution of level n-1.
// All-zero blocks are not stored (length 0), which is most of a loss raster.
// On disk a finished store is one Cloud-Optimized GeoTIFF (meta.file) whose tiles are these blocks
// and whose overviews are the levels (cog_write.ts), so GDAL, QGIS or TiTiler open it as it is;
// reading still goes by offset from the index, which is read from the TIFF's IFDs at open. Levels
// being written (and stores from before the COG) are one blocks file and one index file a level.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { readCogIndex } from './cog_read';
import { HeadTooShort, RemoteTiles } from './remote/remote_tiles';

export const BLOCK = 256;

/** A block read from the object store brings the blocks after it in its row, up to this many bytes. */
const READ_AHEAD_BYTES = 1 << 20;

export interface LevelMeta {
  level: number;
  width: number;
  height: number;
  pixelSize: number;
  cols: number;
  rows: number;
}

export interface StoreMeta {
  version: 1;
  kind: 'lossyear' | 'treecover' | 'other' | 'alert';
  /** 2 for alert layers (uint16 pixels, little-endian); 1 (or absent) for every other kind. */
  bytesPerPixel?: 1 | 2;
  west: number;
  north: number;
  pixelSize: number;
  /** Row height in degrees when the file's differs from pixelSize in the last bits (older stores: absent). */
  pixelSizeY?: number;
  width: number;
  height: number;
  /** Highest value present (lossyear: last year code, e.g. 23). */
  maxValue: number;
  /** Lowest non-zero value (lossyear: first year code); absent in stores written before it was kept. */
  minValue?: number;
  levels: LevelMeta[];
  /**
   * Set by an in-place update (alert layers): the COG is `layer.<generation>.tif`, and meta.json,
   * renamed into place, switches every level at once. (Stores from before the COG: the indexes
   * were `level-N.index.<generation>` over blocks appended to the level files.)
   */
  generation?: number;
  /** The COG holding every level (level n = overview n), in the store's folder; absent while levels are written as level files. */
  file?: string;
  /** The COG's key in the object store (ATALAYA_RASTER_STORE) once published there; the folder then keeps meta.json only. */
  remote?: string;
}

/** The index file of a level in a store's current generation. */
export const indexFileName = (level: number, generation: number | undefined) => (generation ? `level-${level}.index.${generation}` : `level-${level}.index`);

export function levelMeta(width: number, height: number, pixelSize: number, level: number): LevelMeta {
  return { level, width, height, pixelSize, cols: Math.ceil(width / BLOCK), rows: Math.ceil(height / BLOCK) };
}

/** Writes one level block row by block row; blocks must come in row-major order. */
export class LevelWriter {
  private readonly fd: number;
  private readonly index: Float64Array;
  private offset = 0;
  private next = 0;
  constructor(
    private readonly dir: string,
    private readonly meta: LevelMeta,
  ) {
    this.fd = fs.openSync(path.join(dir, `level-${meta.level}.blocks.tmp`), 'w');
    this.index = new Float64Array(meta.cols * meta.rows * 2);
  }

  write(block: Uint8Array): void {
    let empty = true;
    for (let i = 0; i < block.length; i++) {
      if (block[i] !== 0) {
        empty = false;
        break;
      }
    }
    if (!empty) {
      const compressed = zlib.deflateSync(block, { level: 1 });
      fs.writeSync(this.fd, compressed);
      this.index[this.next * 2] = this.offset;
      this.index[this.next * 2 + 1] = compressed.length;
      this.offset += compressed.length;
    }
    this.next++;
  }

  /** Writes a block deflated elsewhere (a worker thread); null = all zero, not stored. */
  writeCompressed(compressed: Uint8Array | null): void {
    if (compressed) {
      fs.writeSync(this.fd, compressed);
      this.index[this.next * 2] = this.offset;
      this.index[this.next * 2 + 1] = compressed.length;
      this.offset += compressed.length;
    }
    this.next++;
  }

  /** Renames the finished files into place, so a killed ingest never leaves a half level behind. */
  finish(): void {
    fs.closeSync(this.fd);
    if (this.next !== this.meta.cols * this.meta.rows) throw new Error(`level ${this.meta.level}: wrote ${this.next} of ${this.meta.cols * this.meta.rows} blocks`);
    fs.writeFileSync(path.join(this.dir, `level-${this.meta.level}.index.tmp`), Buffer.from(this.index.buffer));
    fs.renameSync(path.join(this.dir, `level-${this.meta.level}.blocks.tmp`), path.join(this.dir, `level-${this.meta.level}.blocks`));
    fs.renameSync(path.join(this.dir, `level-${this.meta.level}.index.tmp`), path.join(this.dir, `level-${this.meta.level}.index`));
  }
}

/** Reads blocks of a stored layer, keeping the most recently used ones decoded. */
export class BlockStore {
  readonly meta: StoreMeta;
  /** What block() returns for an all-zero or outside block: EMPTY, or EMPTY16 for a 16-bit store. */
  readonly empty: Uint8Array;
  static readonly EMPTY16 = new Uint8Array(BLOCK * BLOCK * 2);
  private readonly fds: number[];
  /** The COG in the object store (meta.remote); then fds is empty. */
  private readonly remote: RemoteTiles | undefined;
  private readonly indexes: Float64Array[];
  private readonly cache = new Map<string, Uint8Array | null>();
  static readonly EMPTY = new Uint8Array(BLOCK * BLOCK);
  private static readonly words = new WeakMap<Uint8Array, Uint32Array>();

  /** The same block as 32-bit words (4 pixels each), for loops that skip runs of equal pixels. */
  static words32(block: Uint8Array): Uint32Array {
    let w = BlockStore.words.get(block);
    if (!w) {
      w = new Uint32Array(block.buffer, block.byteOffset, block.length >> 2);
      BlockStore.words.set(block, w);
    }
    return w;
  }

  private static serials = 0;
  /** Unique per opened store: derived data (forest layers) is cached against it. */
  readonly serial = ++BlockStore.serials;

  constructor(
    readonly dir: string,
    private readonly cacheBlocks = 1024,
    /** Read these levels and generation instead of meta.json's (an update reading what it just wrote). */
    meta?: StoreMeta,
    /** The remote COG with its header already read (open()). */
    remote?: RemoteTiles,
  ) {
    this.meta = meta ?? (JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as StoreMeta);
    this.empty = this.meta.bytesPerPixel === 2 ? BlockStore.EMPTY16 : BlockStore.EMPTY;
    if (this.meta.remote) {
      this.remote = remote ?? new RemoteTiles(this.meta.remote);
      this.fds = [];
      this.indexes = readCogIndex((at, length) => this.remote!.headBytes(at, length), this.meta.remote);
      if (this.indexes.length < this.meta.levels.length) throw new Error(`${this.meta.remote} has ${this.indexes.length} levels, meta.json ${this.meta.levels.length}`);
      return;
    }
    this.remote = undefined;
    if (this.meta.file) {
      const fd = fs.openSync(path.join(dir, this.meta.file), 'r');
      try {
        this.indexes = readCogIndex((at, length) => {
          const b = Buffer.alloc(length);
          return b.subarray(0, fs.readSync(fd, b, 0, length, at));
        }, path.join(dir, this.meta.file));
        if (this.indexes.length < this.meta.levels.length) throw new Error(`${this.meta.file} has ${this.indexes.length} levels, meta.json ${this.meta.levels.length}`);
      } catch (e) {
        fs.closeSync(fd);
        throw e;
      }
      this.fds = this.meta.levels.map(() => fd);
      return;
    }
    this.fds = this.meta.levels.map((l) => fs.openSync(path.join(dir, `level-${l.level}.blocks`), 'r'));
    this.indexes = this.meta.levels.map((l) => {
      const b = fs.readFileSync(path.join(dir, indexFileName(l.level, this.meta.generation)));
      return new Float64Array(b.buffer, b.byteOffset, b.length / 8);
    });
  }

  /**
   * Opens the store in `dir` without blocking the event loop: a store in the object store has its
   * header read asynchronously (the constructor would wait for it).
   */
  static async open(dir: string, cacheBlocks?: number): Promise<BlockStore> {
    const meta = JSON.parse(await fs.promises.readFile(path.join(dir, 'meta.json'), 'utf8')) as StoreMeta;
    let remote: RemoteTiles | undefined;
    if (meta.remote) {
      remote = new RemoteTiles(meta.remote);
      await remote.loadHead();
      // The tile index of a large layer reaches past the first read: read on until it all is there.
      for (;;) {
        try {
          readCogIndex((at, length) => remote!.headBytes(at, length, false), meta.remote);
          break;
        } catch (e) {
          if (!(e instanceof HeadTooShort)) throw e;
          await remote.loadHead(e.end);
        }
      }
    }
    return new BlockStore(dir, cacheBlocks, meta, remote);
  }

  /** Whether blocks come from the object store (then prefetch before reading many). */
  get isRemote(): boolean {
    return this.remote !== undefined;
  }

  /** Each level's tiles as (offset, length) into its file: what a COG is written from. */
  levelTiles(level: number): { index: Float64Array; fd: number } {
    if (this.remote) throw new Error(`${this.dir}: a store in the object store is copied to the folder before it is rewritten`);
    return { index: this.indexes[level]!, fd: this.fds[level]! };
  }

  /**
   * Fetches the blocks bx0..bx1 x by0..by1 (inclusive) of a level from the object store ahead of
   * block(), in a few range requests; nothing to do for a store in the folder.
   */
  async prefetch(level: number, bx0: number, by0: number, bx1: number, by1: number): Promise<void> {
    if (!this.remote) return;
    const meta = this.meta.levels[level]!;
    const blocks: number[] = [];
    for (let by = Math.max(0, by0); by <= Math.min(by1, meta.rows - 1); by++) for (let bx = Math.max(0, bx0); bx <= Math.min(bx1, meta.cols - 1); bx++) blocks.push(by * meta.cols + bx);
    await this.prefetchBlocks(level, blocks);
  }

  /** The same for a list of blocks, each as by * cols + bx of its level. */
  async prefetchBlocks(level: number, blocks: Iterable<number>): Promise<void> {
    if (!this.remote) return;
    const cols = this.meta.levels[level]!.cols;
    const index = this.indexes[level]!;
    const ranges: [number, number][] = [];
    for (const b of blocks) {
      if (index[b * 2 + 1]! > 0 && !this.cache.has(`${level}/${b % cols}/${Math.floor(b / cols)}`)) ranges.push([index[b * 2]!, index[b * 2 + 1]!]);
    }
    await this.remote.prefetch(ranges);
  }

  /** The deflated bytes of a block; from the object store, with the blocks after it in its row (a scan's next reads). */
  private deflated(level: number, bx: number, by: number, offset: number, length: number): Buffer {
    if (this.remote) {
      if (this.remote.isCached(offset, length)) return this.remote.tile(offset, length);
      const meta = this.meta.levels[level]!;
      const index = this.indexes[level]!;
      const following: [number, number][] = [];
      let end = offset + length;
      for (let x = bx + 1; x < meta.cols && end - offset < READ_AHEAD_BYTES; x++) {
        const i = (by * meta.cols + x) * 2;
        if (index[i + 1] === 0) continue;
        if (index[i] !== end) break; // not the next bytes of the file
        following.push([index[i]!, index[i + 1]!]);
        end += index[i + 1]!;
      }
      return this.remote.tile(offset, length, following);
    }
    const buf = Buffer.allocUnsafe(length);
    fs.readSync(this.fds[level]!, buf, 0, length, offset);
    return buf;
  }

  /** The decoded block (BLOCK x BLOCK, row-major), or `empty` for an all-zero or outside block. */
  block(level: number, bx: number, by: number): Uint8Array {
    const meta = this.meta.levels[level]!;
    if (bx < 0 || by < 0 || bx >= meta.cols || by >= meta.rows) return this.empty;
    const key = `${level}/${bx}/${by}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key); // re-insert: Map order is the LRU order
      this.cache.set(key, hit);
      return hit ?? this.empty;
    }
    const i = (by * meta.cols + bx) * 2;
    const offset = this.indexes[level]![i]!;
    const length = this.indexes[level]![i + 1]!;
    let decoded: Uint8Array | null = null;
    if (length > 0) {
      decoded = zlib.inflateSync(this.deflated(level, bx, by, offset, length));
      // Word access (words32) needs a 4-byte aligned start.
      if (decoded.byteOffset % 4 !== 0) decoded = new Uint8Array(decoded);
    }
    this.cache.set(key, decoded);
    if (this.cache.size > this.cacheBlocks) this.cache.delete(this.cache.keys().next().value!);
    return decoded ?? this.empty;
  }

  /** A 16-bit store's block as uint16 pixels (`empty16` when the block is empty). */
  block16(level: number, bx: number, by: number): Uint16Array {
    const b = this.block(level, bx, by);
    let w = BlockStore.halves.get(b);
    if (!w) {
      w = new Uint16Array(b.buffer, b.byteOffset, b.length >> 1);
      BlockStore.halves.set(b, w);
    }
    return w;
  }

  private static readonly halves = new WeakMap<Uint8Array, Uint16Array>();

  /** Bytes the level's index points at (the rest of its blocks file is superseded blocks). */
  liveBytes(level: number): number {
    const index = this.indexes[level]!;
    let n = 0;
    for (let i = 1; i < index.length; i += 2) n += index[i]!;
    return n;
  }

  /** Whether a block holds only zeros (not stored), without decoding it. */
  isEmpty(level: number, bx: number, by: number): boolean {
    const meta = this.meta.levels[level]!;
    if (bx < 0 || by < 0 || bx >= meta.cols || by >= meta.rows) return true;
    return this.indexes[level]![(by * meta.cols + bx) * 2 + 1] === 0;
  }

  close(): void {
    for (const fd of new Set(this.fds)) fs.closeSync(fd);
    this.cache.clear();
  }
}
