// Polygon to pixel spans by the pixel-centre rule, the rule of GDAL's rasterizer (alg/llrasterize.cpp,
// "a pixel is inside a polygon if its centre falls inside") and of Global Forest Watch: on each row
// the scan line through the pixel centres (y + 0.5) is cut by every ring edge with
// y1 <= y + 0.5 < y2, the crossings are sorted, and between each pair of crossings a and b the pixels
// x with floor(a + 0.5) <= x < floor(b + 0.5) are inside. All rings of all parts go into one
// even-odd pass, as in GDAL, so holes cut out and the parts of a valid multipolygon add up. Two
// details follow GDAL to the bit, since grid-aligned polygons (buffers on round coordinates, test
// fixtures) put edges exactly on pixel centres: coordinates go to pixel space through the inverted
// geotransform (x = -west/size + lon * (1/size)), and a horizontal edge lying exactly on a centre line
// is burnt when it runs right to left (GDAL's "bottom horizontal segment"), with rings in OGR's
// orientation (exterior clockwise, holes counter-clockwise), which is what gdal_rasterize sees
// whatever the winding of the input (checked with both windings against it).
// Written by hand because the counts must match GDAL's exactly, and an active edge table keeps it
// linear in rows + edges for protected areas with tens of thousands of vertices.

export type Position = number[];
export type PolygonCoords = Position[][];

/** Pixel grid in EPSG:4326: top-left corner and square pixel size in degrees. */
export interface Grid {
  west: number;
  north: number;
  pixelSize: number;
  /** Row height when it differs from the column width (GDAL keeps both). */
  pixelSizeY?: number | undefined;
}

/** Row-major spans [x0, x1) of pixel columns per row, rows ascending; may lie outside the raster. */
export interface Spans {
  count: number;
  row: Int32Array;
  x0: Int32Array;
  x1: Int32Array;
}

interface Edge {
  firstRow: number;
  lastRow: number;
  x1: number;
  y1: number;
  slope: number;
}

export function polygonParts(geometry: { type: string; coordinates: unknown }): PolygonCoords[] {
  if (geometry.type === 'Polygon') return [geometry.coordinates as PolygonCoords];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as PolygonCoords[];
  throw new Error(`Zonal statistics need a Polygon or MultiPolygon, not ${geometry.type}.`);
}

export function rasterizeSpans(parts: PolygonCoords[], grid: Grid): Spans {
  const edges: Edge[] = [];
  const horizontal = new Map<number, [number, number][]>();
  const gx0 = -grid.west / grid.pixelSize;
  const gx1 = 1 / grid.pixelSize;
  const dy = grid.pixelSizeY ?? grid.pixelSize;
  const gy0 = -grid.north / -dy;
  const gy1 = 1 / -dy;
  for (const polygon of parts) {
    for (let k = 0; k < polygon.length; k++) {
      const ring = orient(polygon[k]!, k === 0);
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i === 0 ? ring.length - 1 : i - 1]!;
        const b = ring[i]!;
        let ax = gx0 + a[0]! * gx1;
        let ay = gy0 + a[1]! * gy1;
        let bx = gx0 + b[0]! * gx1;
        let by = gy0 + b[1]! * gy1;
        if (ay === by) {
          const y = ay - 0.5;
          if (Number.isInteger(y) && ax > bx) {
            const from = Math.floor(bx + 0.5);
            const to = Math.floor(ax + 0.5);
            if (to > from) (horizontal.get(y) ?? horizontal.set(y, []).get(y)!).push([from, to]);
          }
          continue;
        }
        if (ay > by) [ax, ay, bx, by] = [bx, by, ax, ay];
        // Rows whose centre line y + 0.5 satisfies ay <= y + 0.5 < by.
        const firstRow = Math.ceil(ay - 0.5);
        const lastRow = Math.ceil(by - 0.5) - 1;
        if (lastRow < firstRow) continue;
        edges.push({ firstRow, lastRow, x1: ax, y1: ay, slope: (bx - ax) / (by - ay) });
      }
    }
  }
  edges.sort((p, q) => p.firstRow - q.firstRow);
  // Edges as typed arrays: the sweep below touches them once per row, so layout matters.
  const n = edges.length;
  const eLast = new Int32Array(n);
  const eX = new Float64Array(n);
  const eY = new Float64Array(n);
  const eSlope = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = edges[i]!;
    eLast[i] = e.lastRow;
    eX[i] = e.x1;
    eY[i] = e.y1;
    eSlope[i] = e.slope;
  }
  let cap = 1024;
  let row = new Int32Array(cap);
  let x0 = new Int32Array(cap);
  let x1 = new Int32Array(cap);
  let count = 0;
  const push = (y: number, from: number, to: number) => {
    if (count === cap) {
      cap *= 2;
      const grow = (a: Int32Array) => {
        const g = new Int32Array(cap);
        g.set(a);
        return g;
      };
      row = grow(row);
      x0 = grow(x0);
      x1 = grow(x1);
    }
    row[count] = y;
    x0[count] = from;
    x1[count] = to;
    count++;
  };
  if (n === 0 && horizontal.size === 0) return { count, row, x0, x1 };
  let firstRow = n ? edges[0]!.firstRow : Infinity;
  let lastRow = -Infinity;
  for (let i = 0; i < n; i++) lastRow = Math.max(lastRow, eLast[i]!);
  for (const y of horizontal.keys()) {
    firstRow = Math.min(firstRow, y);
    lastRow = Math.max(lastRow, y);
  }
  const active = new Int32Array(Math.max(1, n));
  let activeCount = 0;
  const crossings = new Float64Array(Math.max(2, n));
  let next = 0;
  for (let y = firstRow; y <= lastRow; y++) {
    while (next < n && edges[next]!.firstRow === y) active[activeCount++] = next++;
    if (activeCount === 0 && !horizontal.has(y)) {
      if (next >= n) break;
      const skipTo = edges[next]!.firstRow;
      let h = Infinity;
      for (const hy of horizontal.keys()) if (hy > y && hy < h) h = hy;
      y = Math.min(skipTo, h) - 1;
      continue;
    }
    const cy = y + 0.5;
    for (let k = 0; k < activeCount; k++) {
      const e = active[k]!;
      crossings[k] = Math.floor(eX[e]! + (cy - eY[e]!) * eSlope[e]! + 0.5);
    }
    const sorted = crossings.subarray(0, activeCount).sort();
    const extra = horizontal.get(y);
    if (extra) {
      const intervals: [number, number][] = [];
      for (let i = 0; i + 1 < activeCount; i += 2) if (sorted[i + 1]! > sorted[i]!) intervals.push([sorted[i]!, sorted[i + 1]!]);
      for (const [from, to] of mergeIntervals(intervals.concat(extra))) push(y, from, to);
    } else {
      for (let i = 0; i + 1 < activeCount; i += 2) if (sorted[i + 1]! > sorted[i]!) push(y, sorted[i]!, sorted[i + 1]!);
    }
    // Drop the edges that end on this row, keeping the others in place.
    let kept = 0;
    for (let k = 0; k < activeCount; k++) if (eLast[active[k]!]! > y) active[kept++] = active[k]!;
    activeCount = kept;
  }
  return { count, row, x0, x1 };
}

/** Union of intervals [from, to): a pixel burnt twice by GDAL is still one pixel. */
function mergeIntervals(list: [number, number][]): [number, number][] {
  list.sort((p, q) => p[0] - q[0]);
  const out: [number, number][] = [];
  for (const [from, to] of list) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** The ring clockwise (exterior) or counter-clockwise (hole) in lon/lat, as OGR hands it to GDAL. */
function orient(ring: Position[], exterior: boolean): Position[] {
  let twiceArea = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) twiceArea += (ring[i]![0]! - ring[j]![0]!) * (ring[i]![1]! + ring[j]![1]!);
  // twiceArea > 0: clockwise.
  return twiceArea > 0 === exterior ? ring : [...ring].reverse();
}
