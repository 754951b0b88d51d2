// Web Mercator (EPSG:3857) tile arithmetic for the XYZ scheme used by MapLibre.
const MAX_LAT = 85.0511287798066;

export interface LonLatBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Longitude of the left edge of tile column x (or of pixel column x / 256 at zoom z). */
export function tileXToLon(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}

/** Latitude of the top edge of tile row y (fractional rows give latitudes inside a tile). */
export function tileYToLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

export function lonToTileX(lon: number, z: number): number {
  return ((lon + 180) / 360) * 2 ** z;
}

export function latToTileY(lat: number, z: number): number {
  const l = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const r = (l * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z;
}

export function tileBounds(z: number, x: number, y: number): LonLatBounds {
  return { west: tileXToLon(x, z), east: tileXToLon(x + 1, z), north: tileYToLat(y, z), south: tileYToLat(y + 1, z) };
}

export function isValidTile(z: number, x: number, y: number): boolean {
  return Number.isInteger(z) && Number.isInteger(x) && Number.isInteger(y) && z >= 0 && z <= 24 && x >= 0 && y >= 0 && x < 2 ** z && y < 2 ** z;
}

export function intersects(a: LonLatBounds, b: LonLatBounds): boolean {
  return a.west < b.east && b.west < a.east && a.south < b.north && b.south < a.north;
}
