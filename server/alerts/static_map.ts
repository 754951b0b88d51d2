// A small map image of a subject's alerts for digests (e-mail, feed, webhook): the alert tiles the
// map shows (alert_tile.ts, same levels, same low-zoom rule, same colours), composed over the
// subject's extent at the largest zoom that fits, only the alerts inside the subject kept (drawn
// three pixels wide where an alert is smaller than two), with the subject's outline on top. A
// palette PNG of a few kilobytes: no canvas library needed for dots and lines on a plain background.
import type { BlockStore } from '../raster/block_store';
import { encodePalettePng } from '../raster/palette_png';
import { TILE } from '../raster/render_tile';
import { latToTileY, lonToTileX, tileXToLon, tileYToLat } from '../raster/tile_math';
import type { FlatPolygon } from '../analysis/zonal/wkb';
import { ALERT_COLORS } from '../api/alerts';
import { renderAlertTile } from './alert_tile';
import type { AlertFilter } from './alert_zonal';

const hex = (h: string): [number, number, number, number] => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 255];
const BACKGROUND = 0;
const OUTLINE = 4;
const FRAME = 5;
/** Background, the three confidences (as on the map), the subject's outline, the frame. */
const PALETTE: [number, number, number, number][] = [hex('#f4f2ec'), ...ALERT_COLORS.map(hex), hex('#1b5e20'), hex('#9e9e9e')];

export interface StaticMapOptions {
  /** Largest width and height in pixels. */
  maxWidth?: number;
  maxHeight?: number;
  maxZoom?: number;
}

/** [west, south, east, north] of polygons' outer rings. */
export function polygonsBounds(polygons: FlatPolygon[]): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const p of polygons) {
    const ring = p[0];
    if (!ring) continue;
    for (let i = 0; i < ring.length; i += 2) {
      w = Math.min(w, ring[i]!);
      e = Math.max(e, ring[i]!);
      s = Math.min(s, ring[i + 1]!);
      n = Math.max(n, ring[i + 1]!);
    }
  }
  return [w, s, e, n];
}

/** The PNG of the alerts passing the filter around the polygons, outlined. */
export function renderStaticMap(store: BlockStore, polygons: FlatPolygon[], filter: AlertFilter, options: StaticMapOptions = {}): Buffer {
  const maxW = options.maxWidth ?? 480, maxH = options.maxHeight ?? 360;
  const [w0, s0, e0, n0] = polygonsBounds(polygons);
  // A margin of a tenth of the extent on each side (and some extent for a point-sized subject).
  const padX = Math.max((e0 - w0) * 0.1, 0.002), padY = Math.max((n0 - s0) * 0.1, 0.002);
  const [w, s, e, n] = [w0 - padX, s0 - padY, e0 + padX, n0 + padY];
  let z = options.maxZoom ?? 16;
  const span = (zoom: number) => [(lonToTileX(e, zoom) - lonToTileX(w, zoom)) * TILE, (latToTileY(s, zoom) - latToTileY(n, zoom)) * TILE] as const;
  while (z > 0 && (span(z)[0] > maxW || span(z)[1] > maxH)) z--;
  const x0 = lonToTileX(w, z) * TILE, y0 = latToTileY(n, z) * TILE;
  const [sw, sh] = span(z);
  const width = Math.max(16, Math.ceil(sw)), height = Math.max(16, Math.ceil(sh));
  const image = new Uint8Array(width * height).fill(BACKGROUND);
  const left = Math.floor(x0), top = Math.floor(y0);
  for (let ty = Math.floor(top / TILE); ty <= Math.floor((top + height - 1) / TILE); ty++) {
    for (let tx = Math.floor(left / TILE); tx <= Math.floor((left + width - 1) / TILE); tx++) {
      if (tx < 0 || ty < 0 || tx >= 2 ** z || ty >= 2 ** z) continue;
      const tile = renderAlertTile(store, z, tx, ty, filter);
      if (!tile?.painted) continue;
      for (let j = 0; j < TILE; j++) {
        const y = ty * TILE + j - top;
        if (y < 0 || y >= height) continue;
        for (let i = 0; i < TILE; i++) {
          const x = tx * TILE + i - left;
          const v = tile.indices[j * TILE + i]!;
          if (v && x >= 0 && x < width) image[y * width + x] = v;
        }
      }
    }
  }
  keepInside(image, width, height, (x, y) => [tileXToLon((left + x + 0.5) / TILE, z), tileYToLat((top + y + 0.5) / TILE, z)], polygons);
  // An alert pixel smaller than two image pixels is drawn three pixels wide, or a clearing of a few
  // pixels would not be seen at all in a map of a whole concession.
  const alertPx = store.meta.pixelSize / (360 / 2 ** z / TILE);
  if (alertPx < 2) dilate(image, width, height);
  const plot = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) image[y * width + x] = OUTLINE;
  };
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0; i + 3 < ring.length; i += 2) {
        line(lonToTileX(ring[i]!, z) * TILE - left, latToTileY(ring[i + 1]!, z) * TILE - top, lonToTileX(ring[i + 2]!, z) * TILE - left, latToTileY(ring[i + 3]!, z) * TILE - top, plot);
      }
    }
  }
  for (let x = 0; x < width; x++) image[x] = image[(height - 1) * width + x] = FRAME;
  for (let y = 0; y < height; y++) image[y * width] = image[y * width + width - 1] = FRAME;
  return encodePalettePng(width, height, image, PALETTE);
}

/** Clears the alerts whose image pixel centre is outside every polygon: the map shows the subjects' alerts, not their neighbours'. */
function keepInside(image: Uint8Array, width: number, height: number, lonLat: (x: number, y: number) => [number, number], polygons: FlatPolygon[]): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (image[y * width + x] === BACKGROUND) continue;
      const [lon, lat] = lonLat(x, y);
      if (!polygons.some((p) => insidePolygon(p, lon, lat))) image[y * width + x] = BACKGROUND;
    }
  }
}

/** Even-odd rule over all rings (holes included). */
function insidePolygon(polygon: FlatPolygon, x: number, y: number): boolean {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      const xi = ring[i]!, yi = ring[i + 1]!, xj = ring[j]!, yj = ring[j + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Grows every painted pixel to its 3 x 3 neighbourhood (higher confidence wins where two meet). */
function dilate(image: Uint8Array, width: number, height: number): void {
  const source = image.slice();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = source[y * width + x]!;
      if (v === BACKGROUND) continue;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx, yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < width && yy < height && image[yy * width + xx]! < v) image[yy * width + xx] = v;
      }
    }
  }
}

/** Bresenham's line between two points in image pixels. */
function line(xa: number, ya: number, xb: number, yb: number, plot: (x: number, y: number) => void): void {
  let x = Math.round(xa), y = Math.round(ya);
  const x1 = Math.round(xb), y1 = Math.round(yb);
  const dx = Math.abs(x1 - x), dy = -Math.abs(y1 - y);
  const sx = x < x1 ? 1 : -1, sy = y < y1 ? 1 : -1;
  let err = dx + dy;
  for (let guard = 0; guard < 10_000; guard++) {
    plot(x, y);
    if (x === x1 && y === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}
