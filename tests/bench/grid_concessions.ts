// The benchmarks' concessions: wobbly squares of about 3.5 km (56 vertices a side, 225 in all) on a
// grid over a raster's extent, deterministic for a seed, as GeoJSON polygons.
import { Random } from '../../server/util/random';
import { kmToDeg } from '../../server/demo/shapes';

export function gridConcessions(count: number, extent: { west: number; north: number; spanDeg: number }, seed = 11): { type: 'Polygon'; coordinates: number[][][] }[] {
  const rng = new Random(seed);
  const side = Math.ceil(Math.sqrt(count));
  const cell = extent.spanDeg / side;
  const out: { type: 'Polygon'; coordinates: number[][][] }[] = [];
  for (let i = 0; i < count; i++) {
    const lon = extent.west + (i % side) * cell + cell * 0.05;
    const lat = extent.north - Math.floor(i / side) * cell - cell * 0.05;
    const [w, h] = kmToDeg(lat, Math.min(3.5, cell * 100), Math.min(3.5, cell * 100));
    const ring: number[][] = [];
    const corners = [[0, 0], [w, 0], [w, -h], [0, -h]] as const;
    for (let c = 0; c < 4; c++) {
      const [x0, y0] = corners[c]!;
      const [x1, y1] = corners[(c + 1) % 4]!;
      for (let k = 0; k < 56; k++) {
        const t = k / 56;
        const j = (rng.next() - 0.5) * 0.0002;
        ring.push([+(lon + x0 + (x1 - x0) * t + j).toFixed(6), +(lat + y0 + (y1 - y0) * t + j).toFixed(6)]);
      }
    }
    ring.push(ring[0]!);
    out.push({ type: 'Polygon', coordinates: [ring] });
  }
  return out;
}
