// Synthetic Hansen-style rasters: lossyear (0 = no loss, n = loss in 2000+n) and treecover2000 (0..100).
// Pure computation, no I/O: the generator writes the arrays out as GeoTIFF.
import type { Random } from '../util/random';
import type { LonLat } from './places';

export interface RasterGrid {
  /** Longitude of the left edge and latitude of the top edge, degrees. */
  west: number;
  north: number;
  /** Pixel size in degrees (Hansen: 0.00025, one arc-second). */
  pixelSize: number;
  width: number;
  height: number;
}

export interface LossRasters {
  grid: RasterGrid;
  lossyear: Uint8Array;
  treecover: Uint8Array;
  lastYear: number;
}

export interface LossLines {
  rivers: LonLat[][];
  roads: LonLat[][];
}

type Pt = [number, number];

function toPixel(grid: RasterGrid, [lon, lat]: LonLat): Pt {
  return [(lon - grid.west) / grid.pixelSize, (grid.north - lat) / grid.pixelSize];
}

/** Smooth value noise in 0..1: random values on a coarse lattice, bilinearly interpolated. */
function valueNoise(rng: Random, width: number, height: number, cell: number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const lattice = new Float32Array(gw * gh).map(() => rng.next());
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const a = lattice[y0 * gw + x0]!;
      const b = lattice[y0 * gw + x0 + 1]!;
      const c = lattice[(y0 + 1) * gw + x0]!;
      const d = lattice[(y0 + 1) * gw + x0 + 1]!;
      out[y * width + x] = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
    }
  }
  return out;
}

/** Calls `visit` for every pixel within `radius` of the polyline (in pixel units). */
function stampLine(grid: RasterGrid, line: Pt[], radius: number, visit: (index: number) => void): void {
  for (let i = 1; i < line.length; i++) {
    const [x0, y0] = line[i - 1]!;
    const [x1, y1] = line[i]!;
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2);
    for (let s = 0; s <= steps; s++) {
      const cx = x0 + ((x1 - x0) * s) / steps;
      const cy = y0 + ((y1 - y0) * s) / steps;
      for (let dy = -radius; dy <= radius; dy++) {
        const py = Math.round(cy + dy);
        if (py < 0 || py >= grid.height) continue;
        for (let dx = -radius; dx <= radius; dx++) {
          const px = Math.round(cx + dx);
          if (px < 0 || px >= grid.width || dx * dx + dy * dy > radius * radius) continue;
          visit(py * grid.width + px);
        }
      }
    }
  }
}

interface Segmented {
  points: Pt[];
  cumulative: number[];
}

function segment(points: Pt[]): Segmented {
  const cumulative = [0];
  for (let i = 1; i < points.length; i++) {
    cumulative.push(cumulative[i - 1]! + Math.hypot(points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1]));
  }
  return { points, cumulative };
}

/** A point at fraction `u` of the line's length and the unit normal there. */
function along(line: Segmented, u: number): { p: Pt; n: Pt } {
  const total = line.cumulative.at(-1)!;
  const d = u * total;
  let i = 1;
  while (i < line.cumulative.length - 1 && line.cumulative[i]! < d) i++;
  const a = line.points[i - 1]!;
  const b = line.points[i]!;
  const len = Math.max(1e-9, line.cumulative[i]! - line.cumulative[i - 1]!);
  const f = (d - line.cumulative[i - 1]!) / len;
  const dx = (b[0] - a[0]) / len;
  const dy = (b[1] - a[1]) / len;
  return { p: [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f], n: [-dy, dx] };
}

/**
 * Generates loss clustered along roads and rivers (as mining and colonisation fronts grow in Madre de
 * Dios): clusters grow outward year by year, about `lossShare` of the pixels end with a loss year.
 */
export function generateLossRasters(rng: Random, grid: RasterGrid, lines: LossLines, lastYear = 23, lossShare = 0.09): LossRasters {
  const n = grid.width * grid.height;
  const treecover = new Uint8Array(n);
  const lossyear = new Uint8Array(n);
  const scale = 0.00025 / grid.pixelSize; // keeps shapes the same size in metres if the grid is coarser
  const forest = valueNoise(rng, grid.width, grid.height, Math.max(8, Math.round(90 * scale)));
  const openLand = valueNoise(rng, grid.width, grid.height, Math.max(8, Math.round(300 * scale)));
  for (let i = 0; i < n; i++) {
    treecover[i] = openLand[i]! < 0.12 ? Math.round(5 + 25 * forest[i]!) : Math.round(55 + 45 * forest[i]!);
  }
  const rivers = lines.rivers.map((l) => l.map((p) => toPixel(grid, p)));
  const roads = lines.roads.map((l) => l.map((p) => toPixel(grid, p)));
  for (const r of rivers) stampLine(grid, r, Math.max(1, Math.round(3 * scale)), (i) => (treecover[i] = 0));
  for (const r of roads) stampLine(grid, r, Math.max(1, Math.round(1 * scale)), (i) => (treecover[i] = 8));

  const sources = [...rivers.map((l) => ({ line: segment(l), kind: 'river' as const })), ...roads.map((l) => ({ line: segment(l), kind: 'road' as const }))];
  const target = n * lossShare;
  let lost = 0;
  let guard = 0;
  while (lost < target && guard++ < 200000) {
    const r = rng.next();
    let cx: number;
    let cy: number;
    let firstYear: number;
    if (r < 0.85 && sources.length > 0) {
      const src = rng.pick(sources);
      const { p, nrm } = (({ p, n: nrm }) => ({ p, nrm }))(along(src.line, rng.next()));
      const off = rng.exponential((src.kind === 'road' ? 45 : 30) * scale) * (rng.next() < 0.5 ? -1 : 1);
      cx = p[0] + nrm[0] * off;
      cy = p[1] + nrm[1] * off;
      // Roads open later fronts (the highway was paved 2006-2011); river mining starts early and grows.
      firstYear = src.kind === 'road' ? Math.min(lastYear, 1 + Math.floor(lastYear * Math.sqrt(rng.next()))) : rng.int(1, lastYear);
    } else {
      cx = rng.range(0, grid.width);
      cy = rng.range(0, grid.height);
      firstYear = rng.int(1, lastYear);
    }
    const rx = rng.range(4, 22) * scale;
    const ry = rx * rng.range(0.5, 1.5);
    const spreadYears = rng.int(0, 6);
    const x0 = Math.max(0, Math.floor(cx - rx));
    const x1 = Math.min(grid.width - 1, Math.ceil(cx + rx));
    const y0 = Math.max(0, Math.floor(cy - ry));
    const y1 = Math.min(grid.height - 1, Math.ceil(cy + ry));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d = Math.hypot((x - cx) / rx, (y - cy) / ry);
        if (d > 1 || rng.next() > 0.8) continue;
        const i = y * grid.width + x;
        if (lossyear[i] !== 0 || treecover[i]! < 10) continue;
        lossyear[i] = Math.min(lastYear, firstYear + Math.floor(d * spreadYears));
        lost++;
      }
    }
  }
  return { grid, lossyear, treecover, lastYear };
}
