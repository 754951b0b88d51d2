// Plane geometry for placing synthetic shapes in lon/lat, in kilometres around a centre.
import type { Position } from 'geojson';
import type { Random } from '../util/random';

const KM_PER_DEG_LAT = 110.574;

export function kmToDeg(lat: number, dxKm: number, dyKm: number): [number, number] {
  return [dxKm / (111.32 * Math.cos((lat * Math.PI) / 180)), dyKm / KM_PER_DEG_LAT];
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** An irregular closed ring of about `radiusKm` around a centre, smooth and non self-intersecting (star-shaped). */
export function blobRing(rng: Random, center: Position, radiusKm: number, vertices = 48, roughness = 0.3): Position[] {
  const [lon, lat] = center as [number, number];
  const harmonics = [1, 2, 3, 5].map((k) => ({ k, phase: rng.range(0, 2 * Math.PI), amp: rng.range(0, roughness) / k }));
  const ring: Position[] = [];
  for (let i = 0; i < vertices; i++) {
    const a = (2 * Math.PI * i) / vertices;
    let r = 1;
    for (const h of harmonics) r += h.amp * Math.sin(h.k * a + h.phase);
    r = Math.max(0.35, r) * radiusKm;
    const [dx, dy] = kmToDeg(lat, r * Math.cos(a), r * Math.sin(a));
    ring.push([round6(lon + dx), round6(lat + dy)]);
  }
  ring.push(ring[0]!);
  return ring;
}

/** A rectangle `wKm` x `hKm` rotated by `angleDeg` around its centre, as real concession parcels are. */
export function rectangleRing(center: Position, wKm: number, hKm: number, angleDeg: number): Position[] {
  const [lon, lat] = center as [number, number];
  const a = (angleDeg * Math.PI) / 180;
  const corners = [
    [-wKm / 2, -hKm / 2],
    [wKm / 2, -hKm / 2],
    [wKm / 2, hKm / 2],
    [-wKm / 2, hKm / 2],
  ] as const;
  const ring = corners.map(([x, y]) => {
    const [dx, dy] = kmToDeg(lat, x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a));
    return [round6(lon + dx), round6(lat + dy)];
  });
  ring.push(ring[0]!);
  return ring;
}

/** A point `km` away from a centre in direction `bearingDeg` (0 = north). */
export function offsetKm(center: Position, km: number, bearingDeg: number): Position {
  const [lon, lat] = center as [number, number];
  const b = (bearingDeg * Math.PI) / 180;
  const [dx, dy] = kmToDeg(lat, km * Math.sin(b), km * Math.cos(b));
  return [round6(lon + dx), round6(lat + dy)];
}
