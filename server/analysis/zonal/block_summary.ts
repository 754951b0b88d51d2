// Summaries of a forest layer (forest_layer.ts: loss codes over forest, 255 = not forest) per cell of
// 128 x 128 pixels (a quarter block): the pixel count and the geodesic hectares of every loss code
// and of non-forest. A polygon that covers a cell entirely takes its summary instead of counting its
// pixels, so a large protected area costs its boundary only; cells of a quarter block halve that
// boundary against whole blocks, for 2 % of the raster's size (float32: counts up to 16,384 are
// exact, hectares keep 7 digits). Built once by one full scan and kept in the layer's folder.
import fs from 'node:fs';
import path from 'node:path';
import { BLOCK, BlockStore } from '../../raster/block_store';
import { rowAreasHa } from './pixel_area';

export const CELL = BLOCK / 2;

export interface BlockSummary {
  /** Bins per cell: loss codes 0..maxCode (over forest), then one bin for non-forest. */
  bins: number;
  /** Cells across the raster (ceil(width / CELL)). */
  cols: number;
  /** Per cell: `bins` pixel counts, then `bins` hectare sums. */
  values: Float32Array;
}

const MAGIC = 'ATLSUM3';
const NOT_FOREST = 255;

/**
 * Counts pixels a..b-1 of row r of a forest-layer block into rowHist (K bins per row: loss codes,
 * then non-forest). Four pixels at a time where it can: most words are four "forest, no loss"
 * zeros or four non-forest 255s, each one increment by 4 (about 1 Gpx/s here against 0.4 for
 * pixel by pixel).
 */
export function countPixels(fb: Uint8Array, r: number, a: number, b: number, left: number, rowHist: Int32Array, K: number): void {
  const base = r * K;
  const nf = base + K - 1;
  if (fb === BlockStore.EMPTY) {
    rowHist[base]! += b - a;
    return;
  }
  const end = r * BLOCK + (b - left);
  const w32 = BlockStore.words32(fb);
  let i = r * BLOCK + (a - left);
  for (; i < end && i & 3; i++) {
    const v = fb[i]!;
    rowHist[v === NOT_FOREST ? nf : base + v]!++;
  }
  for (; i + 4 <= end; i += 4) {
    const w = w32[i >> 2]!;
    if (w === 0) rowHist[base]! += 4;
    else if (w === 0xffffffff) rowHist[nf]! += 4;
    else {
      for (let k = i; k < i + 4; k++) {
        const v = fb[k]!;
        rowHist[v === NOT_FOREST ? nf : base + v]!++;
      }
    }
  }
  for (; i < end; i++) {
    const v = fb[i]!;
    rowHist[v === NOT_FOREST ? nf : base + v]!++;
  }
}

export function buildBlockSummary(store: BlockStore, maxCode: number): BlockSummary {
  const meta = store.meta;
  const l0 = meta.levels[0]!;
  const bins = Math.max(1, maxCode) + 2;
  const cols = Math.ceil(meta.width / CELL);
  const rowsOfCells = Math.ceil(meta.height / CELL);
  const values = new Float32Array(cols * rowsOfCells * bins * 2);
  const rowHist = new Int32Array(BLOCK * bins);
  const counts = new Float64Array(bins);
  const ha = new Float64Array(bins);
  for (let by = 0; by < l0.rows; by++) {
    const top = by * BLOCK;
    const rows = Math.min(BLOCK, meta.height - top);
    const areas = rowAreasHa(meta, top, rows);
    for (let bx = 0; bx < l0.cols; bx++) {
      const fb = store.block(0, bx, by);
      for (let half = 0; half < 2; half++) {
        const left = bx * BLOCK + half * CELL;
        if (left >= meta.width) continue;
        const right = Math.min(left + CELL, meta.width);
        rowHist.fill(0, 0, rows * bins);
        for (let r = 0; r < rows; r++) countPixels(fb, r, left, right, bx * BLOCK, rowHist, bins);
        for (let vh = 0; vh * CELL < rows; vh++) {
          counts.fill(0);
          ha.fill(0);
          for (let r = vh * CELL; r < Math.min(rows, (vh + 1) * CELL); r++) {
            for (let c = 0; c < bins; c++) {
              const n = rowHist[r * bins + c]!;
              if (n === 0) continue;
              counts[c]! += n;
              ha[c]! += n * areas[r]!;
            }
          }
          const at = ((by * 2 + vh) * cols + bx * 2 + half) * bins * 2;
          values.set(counts, at);
          values.set(ha, at + bins);
        }
      }
    }
  }
  return { bins, cols, values };
}

/** The summary of a forest layer: from its file, or built now and saved (header + doubles). */
export function blockSummary(store: BlockStore, maxCode: number): BlockSummary {
  const file = path.join(store.dir, `summary-${maxCode}.bin`);
  try {
    const buf = fs.readFileSync(file);
    const nl = buf.indexOf(10);
    const header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as { magic: string; bins: number; cols: number };
    if (header.magic === MAGIC) {
      return { bins: header.bins, cols: header.cols, values: new Float32Array(buf.buffer.slice(buf.byteOffset + nl + 1, buf.byteOffset + buf.length)) };
    }
  } catch {
    // missing or unreadable: build it
  }
  const summary = buildBlockSummary(store, maxCode);
  // Header padded so the floats start on an 8-byte boundary; written beside, then renamed.
  let header = JSON.stringify({ magic: MAGIC, bins: summary.bins, cols: summary.cols });
  while ((header.length + 1) % 8) header += ' ';
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${header}\n`), Buffer.from(summary.values.buffer)]));
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true }); // a read-only store still works, from memory
  }
  return summary;
}
