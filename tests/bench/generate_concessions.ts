// Deterministic concession polygons of realistic size (about 225 vertices each) for the import bench.
import fs from 'node:fs';
import { Random } from '../../server/util/random';
import { kmToDeg } from '../../server/demo/shapes';

/** Writes `count` concessions as a GeoJSON FeatureCollection, streamed; returns the file size. */
/** `side`: vertices per side of each parcel (56 gives about 225 vertices, 5.3 kB a feature). */
export async function writeConcessionsGeoJson(file: string, count: number, seed = 7, side = 56): Promise<number> {
  const rng = new Random(seed);
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('{"type":"FeatureCollection","features":[\n');
  for (let i = 0; i < count; i++) {
    // A grid over the Amazon lowlands of Peru, each parcel a wobbly rectangle of 56 vertices per side.
    const col = i % 200;
    const row = Math.floor(i / 200);
    const lon = -76 + col * 0.04;
    const lat = -4 - row * 0.04;
    const [w, h] = kmToDeg(lat, 3.5, 3.5);
    const ring: number[][] = [];
    const corners = [[0, 0], [w, 0], [w, h], [0, h]] as const;
    for (let c = 0; c < 4; c++) {
      const [x0, y0] = corners[c]!;
      const [x1, y1] = corners[(c + 1) % 4]!;
      for (let k = 0; k < side; k++) {
        const t = k / side;
        const jitter = (rng.next() - 0.5) * 0.0002; // ~10 m, under half the vertex spacing: valid rings
        ring.push([+(lon + x0 + (x1 - x0) * t + jitter).toFixed(6), +(lat - (y0 + (y1 - y0) * t) + jitter).toFixed(6)]);
      }
    }
    ring.push(ring[0]!);
    const f = { type: 'Feature', properties: { code: `C-${i}`, holder: `Holder ${i % 997}`, concession_type: ['timber', 'brazil_nut', 'conservation'][i % 3] }, geometry: { type: 'Polygon', coordinates: [ring] } };
    await write(`${i ? ',\n' : ''}${JSON.stringify(f)}`);
  }
  await write('\n]}\n');
  await new Promise<void>((r) => out.end(() => r()));
  return fs.statSync(file).size;
}
