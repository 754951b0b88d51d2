// Renders one Web Mercator tile of a loss layer as palette indices (0 = transparent): nearest
// neighbour from the coarsest stored level that is still at least as fine as the tile's pixels.
import { BLOCK, type BlockStore } from './block_store';
import { tileBounds, tileXToLon, tileYToLat, intersects, type LonLatBounds } from './tile_math';

export const TILE = 256;

export function storeBounds(store: BlockStore): LonLatBounds {
  const m = store.meta;
  return { west: m.west, north: m.north, east: m.west + m.width * m.pixelSize, south: m.north - m.height * m.pixelSize };
}

/** The level to sample for a tile: the coarsest whose pixel is no larger than the tile's pixel. */
export function chooseLevel(store: BlockStore, z: number): number {
  const tilePixelDeg = 360 / 2 ** z / TILE;
  let chosen = 0;
  for (const l of store.meta.levels) if (l.pixelSize <= tilePixelDeg) chosen = l.level;
  return chosen;
}

export interface LossFilter {
  /** Codes kept: fromCode..toCode (1 = 2001). */
  fromCode: number;
  toCode: number;
}

/** Palette indices of the tile, or undefined when the tile lies outside the layer. */
export function renderLossTile(store: BlockStore, z: number, x: number, y: number, filter: LossFilter): { indices: Uint8Array; painted: number } | undefined {
  if (!intersects(tileBounds(z, x, y), storeBounds(store))) return undefined;
  const level = chooseLevel(store, z);
  const meta = store.meta.levels[level]!;
  const { west, north } = store.meta;
  // Columns depend only on longitude and rows only on latitude: compute each once per tile.
  const cols = new Int32Array(TILE);
  for (let i = 0; i < TILE; i++) cols[i] = Math.floor((tileXToLon(x + (i + 0.5) / TILE, z) - west) / meta.pixelSize);
  const indices = new Uint8Array(TILE * TILE);
  let painted = 0;
  for (let j = 0; j < TILE; j++) {
    const row = Math.floor((north - tileYToLat(y + (j + 0.5) / TILE, z)) / meta.pixelSize);
    if (row < 0 || row >= meta.height) continue;
    const by = row >> 8;
    const inRow = (row & (BLOCK - 1)) * BLOCK;
    let lastBx = -1;
    let block: Uint8Array = store.block(level, 0, by);
    for (let i = 0; i < TILE; i++) {
      const col = cols[i]!;
      if (col < 0 || col >= meta.width) continue;
      const bx = col >> 8;
      if (bx !== lastBx) {
        block = store.block(level, bx, by);
        lastBx = bx;
      }
      const v = block[inRow + (col & (BLOCK - 1))]!;
      if (v >= filter.fromCode && v <= filter.toCode && v > 0) {
        indices[j * TILE + i] = v;
        painted++;
      }
    }
  }
  return { indices, painted };
}
