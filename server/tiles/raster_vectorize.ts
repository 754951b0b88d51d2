// A rendered raster tile (one value per pixel of a 256 x 256 tile) as MVT polygons: each run of
// equal values along a row, stacked with identical runs of the rows below into one rectangle. The
// offline packages carry loss and alerts this way so one vector archive holds every layer, and a
// tapped pixel answers with its year or its alert's date and confidence.
import vtpbf from 'vt-pbf';
import { TILE_EXTENT } from '../db/tiles/mvt_layers';
import { TILE } from '../raster/render_tile';

const SCALE = TILE_EXTENT / TILE;

interface Rectangle {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  value: number;
}

/** Rectangles of equal non-zero values covering the tile's painted pixels, each pixel once. */
export function rectanglesOf(values: ArrayLike<number>): Rectangle[] {
  const done: Rectangle[] = [];
  // Open rectangles by their first column, still growing downwards.
  let open = new Map<number, Rectangle>();
  for (let y = 0; y < TILE; y++) {
    const next = new Map<number, Rectangle>();
    for (let x = 0; x < TILE; ) {
      const v = values[y * TILE + x]!;
      if (v === 0) {
        x++;
        continue;
      }
      let end = x + 1;
      while (end < TILE && values[y * TILE + end] === v) end++;
      const above = open.get(x);
      if (above && above.x1 === end && above.value === v) {
        above.y1 = y + 1;
        next.set(x, above);
        open.delete(x);
      } else next.set(x, { x0: x, x1: end, y0: y, y1: y + 1, value: v });
      x = end;
    }
    for (const r of open.values()) done.push(r);
    open = next;
  }
  for (const r of open.values()) done.push(r);
  return done;
}

/** One MVT layer of the rectangles, with tags from each value; empty bytes when nothing is painted. */
export function vectorizeTile(layer: string, values: ArrayLike<number>, tagsOf: (value: number) => Record<string, number | string>): Uint8Array {
  const rects = rectanglesOf(values);
  if (rects.length === 0) return new Uint8Array(0);
  const features = rects.map((r) => ({
    type: 3 as const,
    // Clockwise on screen (y down): an exterior ring as MVT 2.1 wants it.
    geometry: [[[r.x0 * SCALE, r.y0 * SCALE], [r.x1 * SCALE, r.y0 * SCALE], [r.x1 * SCALE, r.y1 * SCALE], [r.x0 * SCALE, r.y1 * SCALE], [r.x0 * SCALE, r.y0 * SCALE]]],
    tags: tagsOf(r.value),
  }));
  return vtpbf.fromGeojsonVt({ [layer]: { features } } as never, { version: 2, extent: TILE_EXTENT });
}
