// Runs in the ingest's worker threads (piscina): reads and decodes source strips or tiles straight
// from the files (LZW by codecs/lzw.ts, DEFLATE by node:zlib), assembles rows of 256 x 256 blocks,
// builds overview blocks, and deflates them; the main thread only writes what comes back, in order.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { BLOCK, BlockStore } from './block_store';
import { decodeLzw } from './codecs/lzw';
import type { TiffLayout } from './tiff_layout';
import { valueRange } from './value_range';

export interface IngestSource {
  file: string;
  layout: TiffLayout;
  /** Offset of the file in the mosaic grid, pixels. */
  x0: number;
  y0: number;
  nodata: number | null;
}

export interface RowsTask {
  op: 'rows';
  sources: IngestSource[];
  width: number;
  height: number;
  firstBlockRow: number;
  blockRows: number;
}

export interface OverviewTask {
  op: 'overview';
  dir: string;
  level: number;
  kind: 'lossyear' | 'treecover' | 'other';
  dstRow: number;
  dstCols: number;
}

export interface BlockRowResult {
  blockRow: number;
  /** Deflated blocks, null where the block is all zero. */
  blocks: (Uint8Array | null)[];
  maxValue: number;
  /** Lowest non-zero value of the rows (0 when all are 0). */
  minValue: number;
}

export class CorruptSourceError extends Error {}

const fds = new Map<string, number>();
function fdOf(file: string): number {
  let fd = fds.get(file);
  if (fd === undefined) {
    fd = fs.openSync(file, 'r');
    fds.set(file, fd);
  }
  return fd;
}

function deflateBlock(block: Uint8Array): Uint8Array | null {
  // A word-wise test: most blocks of a loss layer are all zero and are not stored.
  const words = new Uint32Array(block.buffer, block.byteOffset, block.length >> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return zlib.deflateSync(block, { level: 1 });
  return null;
}

/** Decodes tile or strip `index` of a source into `out` (tileWidth x tileHeight). */
function decodeTile(s: IngestSource, index: number, out: Uint8Array): void {
  const { layout } = s;
  const length = layout.counts[index]!;
  const raw = Buffer.allocUnsafe(length);
  if (length > 0 && fs.readSync(fdOf(s.file), raw, 0, length, layout.offsets[index]!) !== length) throw new CorruptSourceError(`${path.basename(s.file)} is corrupt: strip or tile ${index} is cut short`);
  out.fill(0);
  try {
    if (layout.compression === 'none') out.set(raw.subarray(0, Math.min(length, out.length)));
    else if (layout.compression === 'lzw') decodeLzw(raw, out);
    else {
      const inflated = zlib.inflateSync(raw);
      out.set(inflated.subarray(0, Math.min(inflated.length, out.length)));
    }
  } catch (e) {
    throw new CorruptSourceError(`${path.basename(s.file)} is corrupt: strip or tile ${index} does not decode (${(e as Error).message})`);
  }
  if (layout.predictor === 2) {
    for (let r = 0; r < layout.tileHeight; r++) {
      const row = r * layout.tileWidth;
      for (let c = 1; c < layout.tileWidth; c++) out[row + c] = (out[row + c]! + out[row + c - 1]!) & 255;
    }
  }
}

function rows(task: RowsTask): BlockRowResult[] {
  const { width, height } = task;
  const cols = Math.ceil(width / BLOCK);
  const top = task.firstBlockRow * BLOCK;
  const bottom = Math.min(height, top + task.blockRows * BLOCK);
  const strip = new Uint8Array(width * (bottom - top));
  for (const s of task.sources) {
    const { layout } = s;
    const from = Math.max(top, s.y0);
    const to = Math.min(bottom, s.y0 + layout.height);
    if (from >= to) continue;
    const tile = new Uint8Array(layout.tileWidth * layout.tileHeight);
    const firstTileRow = Math.floor((from - s.y0) / layout.tileHeight);
    const lastTileRow = Math.floor((to - 1 - s.y0) / layout.tileHeight);
    for (let tr = firstTileRow; tr <= lastTileRow; tr++) {
      for (let tc = 0; tc < layout.tilesAcross; tc++) {
        decodeTile(s, tr * layout.tilesAcross + tc, tile);
        const tileTop = s.y0 + tr * layout.tileHeight;
        const tileLeft = tc * layout.tileWidth;
        const w = Math.min(layout.tileWidth, layout.width - tileLeft);
        for (let y = Math.max(from, tileTop); y < Math.min(to, tileTop + layout.tileHeight); y++) {
          const src = tile.subarray((y - tileTop) * layout.tileWidth, (y - tileTop) * layout.tileWidth + w);
          const target = (y - top) * width + s.x0 + tileLeft;
          if (s.nodata === null) strip.set(src, target);
          else for (let c = 0; c < w; c++) strip[target + c] = src[c] === s.nodata ? 0 : src[c]!; // no data draws nothing
        }
      }
    }
  }
  const { min: minValue, max: maxValue } = valueRange(strip);
  const out: BlockRowResult[] = [];
  for (let br = 0; br * BLOCK < bottom - top; br++) {
    const h = Math.min(BLOCK, bottom - top - br * BLOCK);
    const blocks: (Uint8Array | null)[] = [];
    for (let bx = 0; bx < cols; bx++) {
      const block = new Uint8Array(BLOCK * BLOCK);
      const x0 = bx * BLOCK;
      const w = Math.min(BLOCK, width - x0);
      for (let r = 0; r < h; r++) {
        const at = (br * BLOCK + r) * width + x0;
        block.set(strip.subarray(at, at + w), r * BLOCK);
      }
      blocks.push(deflateBlock(block));
    }
    out.push({ blockRow: task.firstBlockRow + br, blocks, maxValue, minValue });
  }
  return out;
}

const readers = new Map<string, BlockStore>();

/** One row of overview blocks: loss keeps the latest loss of each 2 x 2, tree cover the mean. */
function overview(task: OverviewTask): BlockRowResult[] {
  const key = `${task.dir}|${task.level}`;
  let reader = readers.get(key);
  if (!reader) {
    for (const [k, r] of readers) {
      if (!k.startsWith(`${task.dir}|`)) continue;
      r.close();
      readers.delete(k);
    }
    reader = new BlockStore(task.dir, 64);
    readers.set(key, reader);
  }
  const blocks: (Uint8Array | null)[] = [];
  const mean = task.kind === 'treecover';
  for (let bx = 0; bx < task.dstCols; bx++) {
    const out = new Uint8Array(BLOCK * BLOCK);
    for (let q = 0; q < 4; q++) {
      const sb = reader.block(task.level, bx * 2 + (q & 1), task.dstRow * 2 + (q >> 1));
      if (sb === BlockStore.EMPTY) continue;
      const ox = (q & 1) * (BLOCK / 2);
      const oy = (q >> 1) * (BLOCK / 2);
      for (let r = 0; r < BLOCK / 2; r++) {
        const a0 = 2 * r * BLOCK;
        const o = (oy + r) * BLOCK + ox;
        for (let c = 0; c < BLOCK / 2; c++) {
          const a = sb[a0 + 2 * c]!;
          const b = sb[a0 + 2 * c + 1]!;
          const d = sb[a0 + BLOCK + 2 * c]!;
          const e = sb[a0 + BLOCK + 2 * c + 1]!;
          out[o + c] = mean ? Math.round((a + b + d + e) / 4) : Math.max(a, b, d, e);
        }
      }
    }
    blocks.push(deflateBlock(out));
  }
  return [{ blockRow: task.dstRow, blocks, maxValue: 0, minValue: 0 }];
}

export default function run(task: RowsTask | OverviewTask): BlockRowResult[] {
  return task.op === 'rows' ? rows(task) : overview(task);
}
