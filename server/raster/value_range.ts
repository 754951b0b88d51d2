// The lowest non-zero and the highest value of a strip of pixels: a loss layer's first and last year
// codes, recorded at ingest so the layer's legend and year sliders span only the years it has.
export interface ValueRange {
  /** Lowest non-zero value; 0 when every pixel is 0. */
  min: number;
  max: number;
}

export function valueRange(pixels: Uint8Array, into: ValueRange = { min: 0, max: 0 }): ValueRange {
  let { min, max } = into;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (v === 0) continue;
    if (v > max) max = v;
    if (min === 0 || v < min) min = v;
  }
  return { min, max };
}

export function mergeRanges(a: ValueRange, b: ValueRange): ValueRange {
  return { min: a.min === 0 ? b.min : b.min === 0 ? a.min : Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}
