// Geodesic area of raster pixels on the WGS84 ellipsoid. A pixel of an EPSG:4326 grid is the
// quadrangle between two meridians and two parallels; its exact area depends only on its row, so one
// value per row serves every pixel in it. Written by hand: it is one closed formula (the authalic
// band area), and no well-kept npm package exposes it per latitude band.
const A = 6378137; // WGS84 semi-major axis, m
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const B2 = A * A * (1 - E2);

/** Twice the area (m^2 per radian of longitude, divided by b^2) between the equator and latitude phi. */
function bandIntegral(phiDeg: number): number {
  const s = Math.sin((Math.max(-90, Math.min(90, phiDeg)) * Math.PI) / 180);
  return s / (1 - E2 * s * s) + (1 / (2 * E)) * Math.log((1 + E * s) / (1 - E * s));
}

/** Area in m^2 of the quadrangle between latitudes lat1 and lat2 spanning dLonDeg of longitude. */
export function quadrangleAreaM2(lat1: number, lat2: number, dLonDeg: number): number {
  const dLon = (dLonDeg * Math.PI) / 180;
  return Math.abs((dLon * B2) / 2 * (bandIntegral(lat2) - bandIntegral(lat1)));
}

/** Pixel area in hectares for each row of a grid whose top edge is at `north`. */
export function rowAreasHa(grid: { north: number; pixelSize: number; pixelSizeY?: number | undefined }, firstRow: number, rowCount: number): Float64Array {
  const out = new Float64Array(rowCount);
  const dy = grid.pixelSizeY ?? grid.pixelSize;
  for (let r = 0; r < rowCount; r++) {
    const top = grid.north - (firstRow + r) * dy;
    out[r] = quadrangleAreaM2(top - dy, top, grid.pixelSize) / 10_000;
  }
  return out;
}
