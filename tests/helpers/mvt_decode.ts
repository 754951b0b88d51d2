// Decodes an MVT tile with Mapbox's reference reader, into plain objects a test can compare.
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';

export interface DecodedFeature {
  id: number | undefined;
  type: number;
  properties: Record<string, unknown>;
  rings: { x: number; y: number }[][];
}

export function decodeMvt(bytes: Uint8Array): Record<string, DecodedFeature[]> {
  if (bytes.length === 0) return {};
  const tile = new VectorTile(new Pbf(bytes) as never);
  const out: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      out[name]!.push({ id: f.id, type: f.type, properties: { ...f.properties }, rings: f.loadGeometry().map((r) => r.map((p) => ({ x: p.x, y: p.y }))) });
    }
  }
  return out;
}

/** Shoelace area of a ring in tile units (positive = clockwise on screen, MVT's exterior winding). */
export function ringArea(ring: { x: number; y: number }[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j]!.x * ring[i]!.y - ring[i]!.x * ring[j]!.y);
  return a / 2;
}
