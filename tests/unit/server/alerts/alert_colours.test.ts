// Alerts must not be read as annual loss, nor one confidence as another, whatever the reader's colour
// vision: each alert colour stays at least 20 (CIELAB distance) from every colour of the loss ramp,
// and the three confidences at least 20 from each other, under normal vision and the full-severity
// protan, deutan and tritan simulations of Machado, Oliveira & Fernandes (2009).
import { describe, expect, it } from 'vitest';
import { ALERT_COLORS } from '../../../../server/api/alerts';
import { lossPalette } from '../../../../server/raster/loss_palette';

type Vec = [number, number, number];
const MATRICES: Record<string, number[][]> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protan: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deutan: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritan: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const mul = (m: number[][], v: Vec): Vec => [0, 1, 2].map((i) => m[i]![0]! * v[0] + m[i]![1]! * v[1] + m[i]![2]! * v[2]) as Vec;

/** CIELAB (D65) of an sRGB colour (0..255) as a reader with this vision sees it. */
function seen(rgb: Vec, vision: string): Vec {
  const linear = mul(MATRICES[vision]!, rgb.map((c) => toLinear(c / 255)) as Vec).map((c) => Math.min(1, Math.max(0, c))) as Vec;
  const [x, y, z] = mul([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]], linear);
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const [fx, fy, fz] = [f(x / 0.95047), f(y), f(z / 1.08883)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}
const distance = (a: Vec, b: Vec) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const hex = (h: string): Vec => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Vec;

describe('alert colours', () => {
  const loss = lossPalette(23).slice(1).map((c) => [c[0], c[1], c[2]] as Vec);
  for (const vision of Object.keys(MATRICES)) {
    it(`stay apart from the loss ramp and from each other (${vision} vision)`, () => {
      const alerts = ALERT_COLORS.map((h) => seen(hex(h), vision));
      for (const a of alerts) expect(Math.min(...loss.map((l) => distance(a, seen(l, vision))))).toBeGreaterThanOrEqual(20);
      for (let i = 0; i < alerts.length; i++) for (let j = i + 1; j < alerts.length; j++) expect(distance(alerts[i]!, alerts[j]!)).toBeGreaterThanOrEqual(20);
    });
  }
});
