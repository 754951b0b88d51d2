// Signed distance fields for map glyphs, as MapLibre expects them (24 px glyphs, 3 px buffer, 8 px
// radius, cutoff 0.25: the parameters of its own client-side TinySDF path). Written here because the
// SDF generators on npm either need a browser canvas (@mapbox/tiny-sdf) or native FreeType builds
// (fontnik); this file is the distance transform of tiny-sdf (Felzenszwalb & Huttenlocher) over a
// coverage bitmap we rasterise ourselves (coverage.ts).
const INF = 1e20;

export const SDF = { fontSize: 24, buffer: 3, radius: 8, cutoff: 0.25 } as const;

/** 1D squared-distance transform of `f` (length n) into `d`, using scratch arrays v and z. */
function edt1d(f: Float64Array, d: Float64Array, v: Uint16Array, z: Float64Array, n: number): void {
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1, k = 0; q < n; q++) {
    let s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  for (let q = 0, k = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    d[q] = (q - v[k]!) * (q - v[k]!) + f[v[k]!]!;
  }
}

/** 2D squared-distance transform in place, columns then rows. */
function edt(grid: Float64Array, width: number, height: number): void {
  const n = Math.max(width, height);
  const f = new Float64Array(n), d = new Float64Array(n), z = new Float64Array(n + 1), v = new Uint16Array(n);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = grid[y * width + x]!;
    edt1d(f, d, v, z, height);
    for (let y = 0; y < height; y++) grid[y * width + x] = d[y]!;
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) f[x] = grid[y * width + x]!;
    edt1d(f, d, v, z, width);
    for (let x = 0; x < width; x++) grid[y * width + x] = d[x]!;
  }
}

/**
 * The SDF bytes of a coverage bitmap (0..1 per pixel, `width` x `height`, already padded by the
 * buffer): 255 deep inside, 191 on the edge (cutoff 0.25), falling to 0 `radius` px outside.
 */
export function signedDistanceField(coverage: Float64Array, width: number, height: number): Uint8Array {
  const outer = new Float64Array(width * height).fill(INF);
  const inner = new Float64Array(width * height);
  for (let i = 0; i < coverage.length; i++) {
    const a = coverage[i]!;
    if (a <= 0) continue;
    if (a >= 1) {
      outer[i] = 0;
      inner[i] = INF;
    } else {
      const d = 0.5 - a;
      outer[i] = d > 0 ? d * d : 0;
      inner[i] = d < 0 ? d * d : 0;
    }
  }
  edt(outer, width, height);
  edt(inner, width, height);
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const d = Math.sqrt(outer[i]!) - Math.sqrt(inner[i]!);
    out[i] = Math.max(0, Math.min(255, Math.round(255 - 255 * (d / SDF.radius + SDF.cutoff))));
  }
  return out;
}
