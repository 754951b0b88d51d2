// The 10 x 10 degree tile grid of Hansen Global Forest Change (and of GLAD and GFW alerts): a tile is
// named by its upper-left corner, latitude first ("10S_070W" spans 10-20 S, 70-60 W), as the
// published file names are (Hansen_GFC-2023-v1.11_lossyear_10S_070W.tif).
import { booleanIntersects, bboxPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

export type Bbox = [west: number, south: number, east: number, north: number];

export interface GridTile {
  name: string;
  /** The tile's own box: west, south, east, north. */
  bbox: Bbox;
}

function latLabel(top: number): string {
  return `${String(Math.abs(top)).padStart(2, '0')}${top > 0 ? 'N' : top < 0 ? 'S' : 'N'}`;
}

function lonLabel(left: number): string {
  return `${String(Math.abs(left)).padStart(3, '0')}${left < 0 ? 'W' : 'E'}`;
}

export function tileName(top: number, left: number): string {
  return `${latLabel(top)}_${lonLabel(left)}`;
}

/** Every tile a box touches (edges that only touch a tile's border do not count). */
export function tilesOfBbox(b: Bbox): GridTile[] {
  const [w, s, e, n] = b;
  if (!(w < e && s < n) || w < -180 || e > 180 || s < -90 || n > 90) throw new RangeError('bbox is west,south,east,north in degrees, west < east and south < north');
  const out: GridTile[] = [];
  for (let top = Math.ceil(n / 10) * 10; top > s; top -= 10) {
    for (let left = Math.floor(w / 10) * 10; left < e; left += 10) out.push({ name: tileName(top, left), bbox: [left, top - 10, left + 10, top] });
  }
  return out;
}

/** The tiles a region's outline touches: fewer than its box (all of Peru is 5 tiles, its box 6). */
export function tilesOfRegion(outline: Feature<Polygon | MultiPolygon>): GridTile[] {
  const coords = JSON.stringify(outline.geometry.coordinates).match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
  const lons = coords.filter((_, i) => i % 2 === 0);
  const lats = coords.filter((_, i) => i % 2 === 1);
  const box: Bbox = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  return tilesOfBbox(box).filter((t) => booleanIntersects(bboxPolygon(t.bbox), outline));
}

/** A tile's URL from a template with {version}, {layer} and {tile}. */
export function tileUrl(template: string, values: { version: string; layer: string; tile: string }): string {
  return template.replaceAll('{version}', values.version).replaceAll('{layer}', values.layer).replaceAll('{tile}', values.tile);
}
