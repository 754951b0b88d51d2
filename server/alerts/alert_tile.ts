// Alert tiles: one Web Mercator tile as a palette PNG, coloured by confidence (lavender, plum, indigo:
// apart from the yellow-to-red of annual loss). Each tile pixel samples the finest stored level whose
// pixel is at least the tile pixel's size, where a pixel holds the newest alert of its footprint
// (alert_ingest.ts). The low-zoom rule, stated: a date or confidence filter tests that newest alert,
// so no tile at any zoom shows an alert outside the filter; an older alert that matches, hidden under
// a newer one that does not, appears once zoomed in far enough to see it on its own.
import { BLOCK, type BlockStore } from '../raster/block_store';
import { encodePalettePng } from '../raster/palette_png';
import { prefetchTile, sampling, storeBounds, TILE } from '../raster/render_tile';
import { intersects, tileBounds } from '../raster/tile_math';
import { alertConfidence, alertDay } from './alert_encoding';
import type { AlertFilter } from './alert_zonal';
import { ALERT_COLORS } from '../api/alerts';

const hex = (h: string): [number, number, number, number] => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 255];
/** Index 0 transparent, then low, high, highest. */
const PALETTE: [number, number, number, number][] = [[0, 0, 0, 0], ...ALERT_COLORS.map(hex)];

/** The finest level whose pixel is no smaller than the tile's pixel (level 0 when even it is larger). */
export function alertLevel(store: BlockStore, z: number): number {
  const tilePixelDeg = 360 / 2 ** z / TILE;
  for (const l of store.meta.levels) if (l.pixelSize >= tilePixelDeg * 0.999) return l.level;
  return store.meta.levels.length - 1;
}

/** Reads the blocks alertTileValues will read from the object store first (a no-op for the local store). */
export async function prefetchAlertTile(store: BlockStore, z: number, x: number, y: number): Promise<void> {
  await prefetchTile(store, alertLevel(store, z), z, x, y);
}

/** Palette indices (confidence 1-3) of the tile; undefined outside the layer. */
export function renderAlertTile(store: BlockStore, z: number, x: number, y: number, filter: AlertFilter): { indices: Uint8Array; painted: number } | undefined {
  const r = alertTileValues(store, z, x, y, filter);
  if (!r) return undefined;
  const indices = new Uint8Array(TILE * TILE);
  if (r.painted) for (let i = 0; i < indices.length; i++) indices[i] = alertConfidence(r.values[i]!);
  return { indices, painted: r.painted };
}

/** The stored alert value (day x 4 + confidence) each tile pixel shows under the filter, 0 for none; undefined outside the layer. */
export function alertTileValues(store: BlockStore, z: number, x: number, y: number, filter: AlertFilter): { values: Uint16Array; painted: number } | undefined {
  if (!intersects(tileBounds(z, x, y), storeBounds(store))) return undefined;
  const level = alertLevel(store, z);
  const meta = store.meta.levels[level]!;
  const { cols, rows } = sampling(store, level, z, x, y);
  const values = new Uint16Array(TILE * TILE);
  let painted = 0;
  for (let j = 0; j < TILE; j++) {
    const row = rows[j]!;
    if (row < 0 || row >= meta.height) continue;
    const by = row >> 8;
    const inRow = (row & (BLOCK - 1)) * BLOCK;
    let lastBx = -1;
    let block: Uint16Array | undefined;
    for (let i = 0; i < TILE; i++) {
      const col = cols[i]!;
      if (col < 0 || col >= meta.width) continue;
      const bx = col >> 8;
      if (bx !== lastBx) {
        block = store.isEmpty(level, bx, by) ? undefined : store.block16(level, bx, by);
        lastBx = bx;
      }
      if (!block) continue;
      const v = block[inRow + (col & (BLOCK - 1))]!;
      if (v === 0) continue;
      const day = alertDay(v);
      const conf = alertConfidence(v);
      if (day < filter.fromDay || day > filter.toDay || !(filter.confidenceMask & (1 << conf))) continue;
      values[j * TILE + i] = v;
      painted++;
    }
  }
  return { values, painted };
}

/** The tile as PNG; undefined outside the layer, null when nothing is painted. */
export function alertTilePng(store: BlockStore, z: number, x: number, y: number, filter: AlertFilter): Buffer | null | undefined {
  const r = renderAlertTile(store, z, x, y, filter);
  if (!r) return undefined;
  return r.painted ? encodePalettePng(TILE, TILE, r.indices, PALETTE) : null;
}
