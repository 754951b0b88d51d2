// Rasterises a glyph outline (opentype.js path commands, y down) into per-pixel coverage with the
// non-zero winding rule, 4x4 samples per pixel. Curves are flattened into short lines first.
export type PathCommand =
  | { type: 'M' | 'L'; x: number; y: number }
  | { type: 'Q'; x1: number; y1: number; x: number; y: number }
  | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
  | { type: 'Z' };

interface Edge { x0: number; y0: number; x1: number; y1: number }

const CURVE_STEPS = 8;
const SAMPLES = 4;

function edgesOf(commands: PathCommand[]): Edge[] {
  const edges: Edge[] = [];
  let sx = 0, sy = 0, px = 0, py = 0;
  const line = (x: number, y: number) => {
    if (y !== py) edges.push({ x0: px, y0: py, x1: x, y1: y });
    px = x;
    py = y;
  };
  for (const c of commands) {
    if (c.type === 'M') {
      if (px !== sx || py !== sy) line(sx, sy);
      sx = px = c.x;
      sy = py = c.y;
    } else if (c.type === 'L') line(c.x, c.y);
    else if (c.type === 'Q') {
      const [x0, y0] = [px, py];
      for (let i = 1; i <= CURVE_STEPS; i++) {
        const t = i / CURVE_STEPS, u = 1 - t;
        line(u * u * x0 + 2 * u * t * c.x1 + t * t * c.x, u * u * y0 + 2 * u * t * c.y1 + t * t * c.y);
      }
    } else if (c.type === 'C') {
      const [x0, y0] = [px, py];
      for (let i = 1; i <= CURVE_STEPS; i++) {
        const t = i / CURVE_STEPS, u = 1 - t;
        line(
          u * u * u * x0 + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t * t * t * c.x,
          u * u * u * y0 + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t * t * t * c.y,
        );
      }
    } else line(sx, sy);
  }
  if (px !== sx || py !== sy) line(sx, sy);
  return edges;
}

/** Coverage (0..1) of a `width` x `height` grid whose pixel (0,0) starts at (originX, originY). */
export function rasterise(commands: PathCommand[], originX: number, originY: number, width: number, height: number): Float64Array {
  const edges = edgesOf(commands);
  const coverage = new Float64Array(width * height);
  const crossings: { x: number; dir: number }[] = [];
  const weight = 1 / (SAMPLES * SAMPLES);
  for (let row = 0; row < height * SAMPLES; row++) {
    const y = originY + (row + 0.5) / SAMPLES;
    crossings.length = 0;
    for (const e of edges) {
      const [top, bottom] = e.y0 < e.y1 ? [e.y0, e.y1] : [e.y1, e.y0];
      if (y < top || y >= bottom) continue;
      crossings.push({ x: e.x0 + ((y - e.y0) / (e.y1 - e.y0)) * (e.x1 - e.x0), dir: e.y1 > e.y0 ? 1 : -1 });
    }
    if (crossings.length === 0) continue;
    crossings.sort((a, b) => a.x - b.x);
    const py = Math.floor(row / SAMPLES);
    let winding = 0;
    for (let i = 0; i < crossings.length - 1; i++) {
      winding += crossings[i]!.dir;
      if (winding === 0) continue;
      // Samples of this row whose centre lies between the two crossings are inside.
      const from = Math.ceil((crossings[i]!.x - originX) * SAMPLES - 0.5);
      const to = Math.floor((crossings[i + 1]!.x - originX) * SAMPLES - 0.5);
      for (let s = Math.max(0, from); s <= Math.min(width * SAMPLES - 1, to); s++) {
        const i = py * width + Math.floor(s / SAMPLES);
        coverage[i] = coverage[i]! + weight;
      }
    }
  }
  return coverage;
}
