// Loss per year inside a polygon, from Atalaya's block store: the polygon becomes pixel spans
// (scanline.ts, GDAL's pixel-centre rule), then the spans are walked block by block so each 256 x 256
// block is inflated once and stays hot in cache while every row of the polygon that crosses it is
// counted. Counts are kept per row and turned into hectares with that row's geodesic pixel area.
import { BLOCK, type BlockStore } from '../../raster/block_store';
import { rowAreasHa } from './pixel_area';
import { CELL, countPixels } from './block_summary';
import { forestLayer } from './forest_layer';
import { rasterizeSpans, type Spans } from './scanline';
import { polygonsFromGeoJson, type FlatPolygon } from './wkb';

export interface LossLayers {
  loss: BlockStore;
  /** Tree cover in 2000 on the same grid; without it every pixel counts as forest. */
  treecover?: BlockStore;
  /** Forest = tree cover >= threshold percent (default 30, as Global Forest Watch). */
  threshold?: number;
  /** Per-block summaries for blocks inside the polygon (default true); false counts every pixel. */
  useSummaries?: boolean;
}

export interface ZonalLoss {
  /** Pixels whose centre lies in the polygon, inside the raster or not. */
  pixels: number;
  /** Of those, the pixels inside the raster. */
  coveredPixels: number;
  areaHa: number;
  coveredAreaHa: number;
  forestPixels: number;
  forest2000Ha: number;
  /** Index = loss code (1 = 2001); index 0 = forest without loss. */
  lossPixels: number[];
  lossHa: number[];
}

export class GridMismatchError extends Error {}

export function checkSameGrid(a: BlockStore, b: BlockStore): void {
  const m = a.meta;
  const n = b.meta;
  const eps = m.pixelSize * 1e-6;
  if (Math.abs(m.pixelSize - n.pixelSize) > 1e-12 || Math.abs((m.pixelSizeY ?? m.pixelSize) - (n.pixelSizeY ?? n.pixelSize)) > 1e-12 || Math.abs(m.west - n.west) > eps || Math.abs(m.north - n.north) > eps || m.width !== n.width || m.height !== n.height) {
    throw new GridMismatchError('The tree cover layer is not on the same pixel grid as the loss layer; register the matching Hansen treecover2000 tiles.');
  }
}

// Scratch buffers and row areas reused across calls: a batch runs thousands of small polygons, and
// allocating these each time cost more than counting their pixels.
let histBuffer = new Int32Array(0);
let colsBuffer = new Int32Array(0);
function scratch(n: number): Int32Array {
  if (histBuffer.length < n) histBuffer = new Int32Array(n);
  return histBuffer.subarray(0, n);
}
function scratchCols(n: number): Int32Array {
  if (colsBuffer.length < n) colsBuffer = new Int32Array(n);
  return colsBuffer.subarray(0, n);
}
const areaCache = new Map<string, Float64Array>();
function blockRowAreas(meta: BlockStore['meta'], blockRow: number): Float64Array {
  const key = `${meta.north}|${meta.pixelSize}|${meta.pixelSizeY ?? ''}|${blockRow}`;
  let areas = areaCache.get(key);
  if (!areas) {
    if (areaCache.size > 4096) areaCache.clear();
    areas = rowAreasHa(meta, blockRow * BLOCK, BLOCK);
    areaCache.set(key, areas);
  }
  return areas;
}

export function zonalLossOfGeometry(geometry: { type: string; coordinates: unknown }, layers: LossLayers): ZonalLoss {
  return zonalLossOfPolygons(polygonsFromGeoJson(geometry), layers);
}

export function zonalLossOfPolygons(polygons: FlatPolygon[], layers: LossLayers): ZonalLoss {
  return zonalLossOfSpans(rasterizeSpans(polygons, layers.loss.meta), layers);
}

export function zonalLossOfSpans(spans: Spans, layers: LossLayers): ZonalLoss {
  const { loss } = layers;
  const meta = loss.meta;
  if (layers.treecover) checkSameGrid(loss, layers.treecover);
  const threshold = layers.threshold ?? 30;
  const masked = layers.treecover !== undefined && threshold > 0;
  const forest = forestLayer(loss, masked ? layers.treecover : undefined, masked ? threshold : 0);
  const summary = layers.useSummaries === false ? undefined : forest.summary;
  const codes = Math.max(1, meta.maxValue) + 1;
  const K = codes + 1; // the last bin: not forest
  const rowHist = scratch(BLOCK * K);
  const lossPixels = new Array<number>(codes).fill(0);
  const lossHa = new Array<number>(codes).fill(0);
  const cols = meta.levels[0]!.cols;
  // Per summary cell column (CELL = half a block) and per half of the block row: how many rows a
  // span covers edge to edge (as differences while the spans are read, summed once), and the first
  // cell at or after each one that is not whole, so a long span jumps over the whole cells.
  const cellCols = Math.ceil(meta.width / CELL);
  const fullTop = scratchCols(2 * (cellCols + 1));
  const nextPartial = new Int32Array(2 * (cellCols + 1));
  const blockCache: (Uint8Array | undefined)[] = new Array(cols);
  let pixels = 0;
  let areaHa = 0;
  let coveredPixels = 0;
  let coveredAreaHa = 0;
  let forestPixels = 0;
  let forest2000Ha = 0;
  const { row, x0, x1, count } = spans;

  let i = 0;
  while (i < count) {
    const blockRow = Math.floor(row[i]! / BLOCK);
    let j = i;
    while (j < count && Math.floor(row[j]! / BLOCK) === blockRow) j++;
    const top = blockRow * BLOCK;
    const areas = blockRowAreas(meta, blockRow);
    // Pixels outside the raster count towards the polygon's area only.
    const inside = blockRow >= 0 && top < meta.height;
    const rowsInBlock = Math.min(BLOCK, meta.height - top);
    let minCol = Infinity;
    let maxCol = -Infinity;
    if (summary) fullTop.fill(0);
    for (let s = i; s < j; s++) {
      const len = x1[s]! - x0[s]!;
      pixels += len;
      areaHa += len * areas[row[s]! - top]!;
      if (!inside) continue;
      const a = Math.max(0, x0[s]!);
      const b = Math.min(meta.width, x1[s]!);
      if (b <= a) continue;
      minCol = Math.min(minCol, Math.floor(a / BLOCK));
      maxCol = Math.max(maxCol, Math.floor((b - 1) / BLOCK));
      if (summary) {
        // Cell columns this span covers from edge to edge, in its half of the block row.
        const first = Math.ceil(a / CELL);
        const last = b >= meta.width ? cellCols - 1 : Math.floor(b / CELL) - 1;
        if (first <= last) {
          const base = (row[s]! - top < CELL ? 0 : 1) * (cellCols + 1);
          fullTop[base + first]!++;
          fullTop[base + last + 1]!--;
        }
      }
    }
    if (inside && minCol <= maxCol) {
      rowHist.fill(0);
      const firstCell = minCol * 2;
      const lastCell = Math.min(cellCols - 1, maxCol * 2 + 1);
      for (let half = 0; half < 2; half++) {
        const base = half * (cellCols + 1);
        const rowsInCell = Math.min(CELL, rowsInBlock - half * CELL);
        if (summary) for (let sc = 1; sc <= cellCols; sc++) fullTop[base + sc]! += fullTop[base + sc - 1]!;
        nextPartial[base + cellCols] = cellCols;
        for (let sc = cellCols - 1; sc >= 0; sc--) {
          const whole = summary !== undefined && rowsInCell > 0 && fullTop[base + sc] === rowsInCell;
          nextPartial[base + sc] = whole ? nextPartial[base + sc + 1]! : sc;
          if (!whole || sc < firstCell || sc > lastCell) continue;
          // The polygon covers the whole cell: add its summary, exact to the pixel.
          const at = ((blockRow * 2 + half) * summary.cols + sc) * summary.bins * 2;
          for (let c = 0; c < K; c++) {
            const n = summary.values[at + c]!;
            if (n === 0) continue;
            const ha = summary.values[at + K + c]!;
            coveredPixels += n;
            coveredAreaHa += ha;
            if (c < codes) {
              lossPixels[c]! += n;
              lossHa[c]! += ha;
              forestPixels += n;
              forest2000Ha += ha;
            }
          }
        }
      }
      for (let bc = minCol; bc <= maxCol; bc++) blockCache[bc] = undefined;
      // Each span counts the pixels of the cells it only partly covers (its ends, mostly).
      for (let s = i; s < j; s++) {
        const a = Math.max(0, x0[s]!);
        const b = Math.min(meta.width, x1[s]!);
        if (b <= a) continue;
        const r = row[s]! - top;
        const base = (r < CELL ? 0 : 1) * (cellCols + 1);
        const last = Math.floor((b - 1) / CELL);
        for (let sc = nextPartial[base + Math.floor(a / CELL)]!; sc <= last; sc = nextPartial[base + sc + 1]!) {
          const bc = sc >> 1;
          const left = bc * BLOCK;
          const fb = blockCache[bc] ?? (blockCache[bc] = forest.store.block(0, bc, blockRow));
          countPixels(fb, r, Math.max(a, sc * CELL), Math.min(b, sc * CELL + CELL), left, rowHist, K);
        }
      }
      for (let r = 0; r < rowsInBlock; r++) {
        const area = areas[r]!;
        const base = r * K;
        let rowPixels = 0;
        for (let c = 0; c < codes; c++) {
          const n = rowHist[base + c]!;
          if (n === 0) continue;
          lossPixels[c]! += n;
          lossHa[c]! += n * area;
          rowPixels += n;
        }
        forestPixels += rowPixels;
        forest2000Ha += rowPixels * area;
        rowPixels += rowHist[base + codes]!;
        coveredPixels += rowPixels;
        coveredAreaHa += rowPixels * area;
      }
    }
    i = j;
  }
  return { pixels, coveredPixels, areaHa, coveredAreaHa, forestPixels, forest2000Ha, lossPixels, lossHa };
}
