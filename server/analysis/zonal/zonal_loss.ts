// Loss per year inside a polygon, from Atalaya's block store: the polygon becomes pixel spans
// (scanline.ts, GDAL's pixel-centre rule), then the spans are walked block by block so each 256 x 256
// block is inflated once and stays hot in cache while every row of the polygon that crosses it is
// counted. Counts are kept per row and turned into hectares with that row's geodesic pixel area.
import { BLOCK, BlockStore } from '../../raster/block_store';
import { rowAreasHa } from './pixel_area';
import { polygonParts, rasterizeSpans, type Spans } from './scanline';

export interface LossLayers {
  loss: BlockStore;
  /** Tree cover in 2000 on the same grid; without it every pixel counts as forest. */
  treecover?: BlockStore;
  /** Forest = tree cover >= threshold percent (default 30, as Global Forest Watch). */
  threshold?: number;
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
  if (Math.abs(m.pixelSize - n.pixelSize) > 1e-12 || Math.abs(m.west - n.west) > eps || Math.abs(m.north - n.north) > eps || m.width !== n.width || m.height !== n.height) {
    throw new GridMismatchError('The tree cover layer is not on the same pixel grid as the loss layer; register the matching Hansen treecover2000 tiles.');
  }
}

export function zonalLossOfGeometry(geometry: { type: string; coordinates: unknown }, layers: LossLayers): ZonalLoss {
  return zonalLossOfSpans(rasterizeSpans(polygonParts(geometry), layers.loss.meta), layers);
}

export function zonalLossOfSpans(spans: Spans, layers: LossLayers): ZonalLoss {
  const { loss } = layers;
  const meta = loss.meta;
  if (layers.treecover) checkSameGrid(loss, layers.treecover);
  const threshold = layers.threshold ?? 30;
  const masked = layers.treecover !== undefined && threshold > 0;
  const codes = Math.max(1, meta.maxValue) + 1;
  const notForest = codes; // extra bin
  const K = codes + 1;
  const rowHist = new Float64Array(BLOCK * K);
  const lossPixels = new Array<number>(codes).fill(0);
  const lossHa = new Array<number>(codes).fill(0);
  let pixels = 0;
  let areaHa = 0;
  let coveredPixels = 0;
  let coveredAreaHa = 0;
  let forestPixels = 0;
  let forest2000Ha = 0;
  const { row, x0, x1, count } = spans;

  // Pixels outside the raster count towards the polygon's area only.
  let i = 0;
  while (i < count) {
    const blockRow = Math.floor(row[i]! / BLOCK);
    let j = i;
    while (j < count && Math.floor(row[j]! / BLOCK) === blockRow) j++;
    const top = blockRow * BLOCK;
    const areas = rowAreasHa(meta.north, meta.pixelSize, top, BLOCK);
    const inside = blockRow >= 0 && top < meta.height;
    let minCol = Infinity;
    let maxCol = -Infinity;
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
    }
    if (inside && minCol <= maxCol) {
      rowHist.fill(0);
      for (let bc = minCol; bc <= maxCol; bc++) {
        const left = bc * BLOCK;
        const right = Math.min(left + BLOCK, meta.width);
        const lb = loss.block(0, bc, blockRow);
        const tb = masked ? layers.treecover!.block(0, bc, blockRow) : undefined;
        const lossEmpty = lb === BlockStore.EMPTY;
        const coverEmpty = tb === BlockStore.EMPTY;
        for (let s = i; s < j; s++) {
          const a = Math.max(left, x0[s]!);
          const b = Math.min(right, x1[s]!);
          if (b <= a) continue;
          const r = row[s]! - top;
          const base = r * K;
          if (masked && coverEmpty) {
            rowHist[base + notForest]! += b - a;
          } else if (lossEmpty && !masked) {
            rowHist[base]! += b - a;
          } else if (!masked) {
            const off = r * BLOCK - left;
            for (let x = a; x < b; x++) rowHist[base + lb[off + x]!]!++;
          } else {
            const off = r * BLOCK - left;
            for (let x = a; x < b; x++) rowHist[base + (tb![off + x]! >= threshold ? lb[off + x]! : notForest)]!++;
          }
        }
      }
      const rows = Math.min(BLOCK, meta.height - top);
      for (let r = 0; r < rows; r++) {
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
        rowPixels += rowHist[base + notForest]!;
        coveredPixels += rowPixels;
        coveredAreaHa += rowPixels * area;
      }
    }
    i = j;
  }
  return { pixels, coveredPixels, areaHa, coveredAreaHa, forestPixels, forest2000Ha, lossPixels, lossHa };
}
