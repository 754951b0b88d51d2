// Renders one Web Mercator tile of a loss layer as palette indices (0 = transparent): nearest
// neighbour from the coarsest stored level that is still at least as fine as the tile's pixels.
import { BLOCK, BlockStore } from './block_store';
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
  /** Forest mask: only pixels whose tree cover in 2000 is at least `threshold` percent. */
  treecover?: { store: BlockStore; threshold: number };
}

/** Column (per tile pixel) and row (per tile pixel row) indexes of a store level for a tile. */
export function sampling(store: BlockStore, level: number, z: number, x: number, y: number): { cols: Int32Array; rows: Int32Array } {
  const meta = store.meta.levels[level]!;
  const cols = new Int32Array(TILE);
  const rows = new Int32Array(TILE);
  for (let i = 0; i < TILE; i++) cols[i] = Math.floor((tileXToLon(x + (i + 0.5) / TILE, z) - store.meta.west) / meta.pixelSize);
  for (let j = 0; j < TILE; j++) rows[j] = Math.floor((store.meta.north - tileYToLat(y + (j + 0.5) / TILE, z)) / meta.pixelSize);
  return { cols, rows };
}

/**
 * Fetches the blocks a tile samples at `level` from the object store before the (synchronous)
 * rendering reads them; nothing to do for a store in the folder.
 */
export async function prefetchTile(store: BlockStore, level: number, z: number, x: number, y: number): Promise<void> {
  if (!store.isRemote) return;
  const { cols, rows } = sampling(store, level, z, x, y);
  await store.prefetch(level, cols[0]! >> 8, rows[0]! >> 8, cols[TILE - 1]! >> 8, rows[TILE - 1]! >> 8);
}

/** Value of a store pixel at (col, row) of a level, 0 outside. */
function valueAt(store: BlockStore, level: number, col: number, row: number): number {
  const meta = store.meta.levels[level]!;
  if (col < 0 || row < 0 || col >= meta.width || row >= meta.height) return 0;
  return store.block(level, col >> 8, row >> 8)[(row & (BLOCK - 1)) * BLOCK + (col & (BLOCK - 1))]!;
}

/** Palette indices of the tile, or undefined when the tile lies outside the layer. */
export function renderLossTile(store: BlockStore, z: number, x: number, y: number, filter: LossFilter): { indices: Uint8Array; painted: number } | undefined {
  if (!intersects(tileBounds(z, x, y), storeBounds(store))) return undefined;
  const level = chooseLevel(store, z);
  const meta = store.meta.levels[level]!;
  // Columns depend only on longitude and rows only on latitude: computed once per tile.
  const { cols, rows } = sampling(store, level, z, x, y);
  const mask = filter.treecover;
  const maskLevel = mask ? chooseLevel(mask.store, z) : 0;
  const maskGrid = mask ? sampling(mask.store, maskLevel, z, x, y) : undefined;
  const indices = new Uint8Array(TILE * TILE);
  let painted = 0;
  // The few blocks this tile samples, fetched once each (the store's LRU costs more per lookup than
  // a tile's pixels do); a tile whose blocks are all empty is done without touching its pixels.
  const tileBlocks = new Map<number, Uint8Array>();
  let anyData = false;
  for (let j = 0; j < TILE; j++) {
    const row = rows[j]!;
    if (row < 0 || row >= meta.height || (j > 0 && row >> 8 === rows[j - 1]! >> 8)) continue;
    for (let i = 0; i < TILE; i++) {
      const col = cols[i]!;
      if (col < 0 || col >= meta.width || (i > 0 && col >> 8 === cols[i - 1]! >> 8)) continue;
      const key = (row >> 8) * meta.cols + (col >> 8);
      if (tileBlocks.has(key)) continue;
      const b = store.block(level, col >> 8, row >> 8);
      tileBlocks.set(key, b);
      if (b !== BlockStore.EMPTY) anyData = true;
    }
  }
  if (!anyData) return { indices, painted };
  for (let j = 0; j < TILE; j++) {
    const row = rows[j]!;
    if (row < 0 || row >= meta.height) continue;
    const by = row >> 8;
    const inRow = (row & (BLOCK - 1)) * BLOCK;
    let lastBx = -1;
    let block: Uint8Array = BlockStore.EMPTY;
    for (let i = 0; i < TILE; i++) {
      const col = cols[i]!;
      if (col < 0 || col >= meta.width) continue;
      const bx = col >> 8;
      if (bx !== lastBx) {
        block = tileBlocks.get(by * meta.cols + bx) ?? store.block(level, bx, by);
        lastBx = bx;
      }
      if (block === BlockStore.EMPTY) continue;
      const v = block[inRow + (col & (BLOCK - 1))]!;
      if (v === 0 || v < filter.fromCode || v > filter.toCode) continue;
      if (mask && valueAt(mask.store, maskLevel, maskGrid!.cols[i]!, maskGrid!.rows[j]!) < mask.threshold) continue;
      indices[j * TILE + i] = v;
      painted++;
    }
  }
  return { indices, painted };
}

/** Tree cover tile: palette index = percent (0 transparent), pixels below `threshold` left out. */
export function renderTreecoverTile(store: BlockStore, z: number, x: number, y: number, threshold: number): { indices: Uint8Array; painted: number } | undefined {
  if (!intersects(tileBounds(z, x, y), storeBounds(store))) return undefined;
  const level = chooseLevel(store, z);
  const { cols, rows } = sampling(store, level, z, x, y);
  const indices = new Uint8Array(TILE * TILE);
  let painted = 0;
  for (let j = 0; j < TILE; j++) {
    for (let i = 0; i < TILE; i++) {
      const v = Math.min(100, valueAt(store, level, cols[i]!, rows[j]!));
      if (v === 0 || v < threshold) continue;
      indices[j * TILE + i] = v;
      painted++;
    }
  }
  return { indices, painted };
}
