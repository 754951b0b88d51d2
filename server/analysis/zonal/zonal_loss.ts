// Loss per year inside a polygon, from Atalaya's block store: the polygon becomes pixel spans
// (scanline.ts, GDAL's pixel-centre rule), then the spans are walked block by block so each 256 x 256
// block is inflated once and stays hot in cache while every row of the polygon that crosses it is
// counted. Counts are kept per row and turned into hectares with that row's geodesic pixel area.
import { BLOCK, BlockStore } from '../../raster/block_store';
import { rowAreasHa } from './pixel_area';
import { countPixels } from './block_summary';
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
  // fullRows counts, per block column, the rows of the block row a span covers edge to edge (kept as
  // differences while the spans are read, summed once); nextPartial[bc] is the first block at or
  // after bc that is not whole, so a long span jumps over the whole blocks it crosses.
  const fullRows = scratchCols(cols + 1);
  const nextPartial = new Int32Array(cols + 1);
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
    if (summary) fullRows.fill(0);
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
        // Block columns this span covers from edge to edge.
        const first = Math.ceil(a / BLOCK);
        const last = b >= meta.width ? cols - 1 : Math.floor(b / BLOCK) - 1;
        if (first <= last) {
          fullRows[first]!++;
          fullRows[last + 1]!--;
        }
      }
    }
    if (inside && minCol <= maxCol) {
      if (summary) {
        for (let bc = 1; bc <= cols; bc++) fullRows[bc]! += fullRows[bc - 1]!;
      }
      nextPartial[cols] = cols;
      for (let bc = cols - 1; bc >= 0; bc--) nextPartial[bc] = summary && fullRows[bc] === rowsInBlock ? nextPartial[bc + 1]! : bc;
      rowHist.fill(0);
      // Whole blocks first, from their summaries; then each span counts the pixels of the blocks it
      // only partly covers (its ends, mostly), with the row's blocks fetched once.
      for (let bc = minCol; bc <= maxCol; bc++) {
        blockCache[bc] = undefined;
        if (!(summary && fullRows[bc] === rowsInBlock)) continue;
        const at = (blockRow * summary.cols + bc) * summary.bins * 2;
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
      for (let s = i; s < j; s++) {
        const a = Math.max(0, x0[s]!);
        const b = Math.min(meta.width, x1[s]!);
        if (b <= a) continue;
        const r = row[s]! - top;
        const last = Math.floor((b - 1) / BLOCK);
        for (let bc = nextPartial[Math.floor(a / BLOCK)]!; bc <= last; bc = nextPartial[bc + 1]!) {
          const left = bc * BLOCK;
          const fb = blockCache[bc] ?? (blockCache[bc] = forest.store.block(0, bc, blockRow));
          countPixels(fb, r, Math.max(a, left), Math.min(b, left + BLOCK), left, rowHist, K);
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
