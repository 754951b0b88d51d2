// Forest loss by year, coloured from yellow (early) to red (recent), as Global Forest Watch users know it.
export const FIRST_LOSS_YEAR = 2001;

export type Rgba = [number, number, number, number];

function lerp(a: number, b: number, t: number): number {
  return Math.round(a + (b - a) * t);
}

/** Palette index = loss code (1 = 2001 ... lastCode); index 0 is transparent (no loss or filtered out). */
export function lossPalette(lastCode: number): Rgba[] {
  const palette: Rgba[] = [[0, 0, 0, 0]];
  const from: [number, number, number] = [255, 224, 80];
  const mid: [number, number, number] = [245, 120, 40];
  const to: [number, number, number] = [200, 20, 40];
  for (let code = 1; code <= lastCode; code++) {
    const t = lastCode === 1 ? 1 : (code - 1) / (lastCode - 1);
    const [a, b, u] = t < 0.5 ? [from, mid, t * 2] : [mid, to, (t - 0.5) * 2];
    palette.push([lerp(a[0], b[0], u), lerp(a[1], b[1], u), lerp(a[2], b[2], u), 255]);
  }
  return palette;
}

export interface LossLegend {
  unit: string;
  entries: { year: number; code: number; color: string }[];
}

export function lossLegend(lastCode: number, firstCode = 1): LossLegend {
  const hex = (c: Rgba) => `#${c.slice(0, 3).map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  return {
    unit: 'year of forest loss (lossyear code + 2000)',
    // The years the layer has; colours stay those of the whole palette, so a year looks the same in every layer.
    entries: lossPalette(lastCode).slice(1).map((c, i) => ({ year: FIRST_LOSS_YEAR + i, code: i + 1, color: hex(c) })).filter((e) => e.code >= firstCode),
  };
}

/** Tree cover 1..100 % from pale to dark green; index 0 transparent. */
export function treecoverPalette(): Rgba[] {
  const palette: Rgba[] = [[0, 0, 0, 0]];
  for (let p = 1; p <= 100; p++) {
    const t = p / 100;
    palette.push([lerp(220, 20, t), lerp(240, 100, t), lerp(200, 40, t), 255]);
  }
  return palette;
}
