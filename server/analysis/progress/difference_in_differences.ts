// Difference in differences of yearly loss rates: inside the buffer around an intervention against a
// comparison ring around it, before and after the start. Pure numbers, no I/O.
//
// Method (returned with every answer): each year's rate is the loss of that year as a percentage of
// the forest of 2000 in the zone. The start year itself is a transition year and belongs to neither
// side. DiD = (mean after − mean before) in the buffer − (mean after − mean before) in the ring.
// The 95 % interval is a percentile bootstrap over years: years are resampled with replacement
// within each side, the buffer and ring values of a year staying together (so a regional shock that
// hits both in one year cancels, as it does in the estimate), 2,000 resamples with a fixed seed so
// the same data give the same interval.
import { Random } from '../../util/random';

export const DID_METHOD =
  'Yearly loss as % of the zone\'s 2000 forest; the start year is left out of both sides; ' +
  'DiD = (after − before) in the buffer − (after − before) in the comparison ring; 95 % interval: ' +
  'percentile bootstrap over years (resampled within each side, buffer and ring of a year kept together, ' +
  '2,000 resamples, fixed seed). An association, not proof that the activity caused the change.';

export const DID_METHOD_ES =
  'Pérdida anual en % del bosque de 2000 de la zona; el año de inicio no entra en ningún lado; ' +
  'DiD = (después − antes) en el área de influencia − (después − antes) en el anillo de comparación; intervalo del 95 %: ' +
  'bootstrap de percentiles sobre los años (remuestreados dentro de cada lado, área y anillo de un mismo año juntos, ' +
  '2.000 remuestreos, semilla fija). Una asociación, no una prueba de que la actividad causó el cambio.';

export const MIN_YEARS_PER_SIDE = 3;
const RESAMPLES = 2000;

export interface YearPair {
  year: number;
  /** Rates in % of 2000 forest per year. */
  buffer: number;
  ring: number;
}

export interface DidResult {
  start_year: number;
  years_before: number;
  years_after: number;
  buffer_before: number | null;
  buffer_after: number | null;
  ring_before: number | null;
  ring_after: number | null;
  did: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

const mean = (v: number[]) => (v.length === 0 ? NaN : v.reduce((s, x) => s + x, 0) / v.length);

function didOf(before: YearPair[], after: YearPair[]): number {
  return mean(after.map((p) => p.buffer)) - mean(before.map((p) => p.buffer)) - (mean(after.map((p) => p.ring)) - mean(before.map((p) => p.ring)));
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function differenceInDifferences(pairs: YearPair[], startYear: number, seed = 2015): DidResult {
  const before = pairs.filter((p) => p.year < startYear);
  const after = pairs.filter((p) => p.year > startYear);
  const m = (v: YearPair[], k: 'buffer' | 'ring') => (v.length ? mean(v.map((p) => p[k])) : null);
  const base: DidResult = {
    start_year: startYear,
    years_before: before.length,
    years_after: after.length,
    buffer_before: m(before, 'buffer'),
    buffer_after: m(after, 'buffer'),
    ring_before: m(before, 'ring'),
    ring_after: m(after, 'ring'),
    did: null,
    ci_low: null,
    ci_high: null,
  };
  if (before.length === 0 || after.length === 0) return base;
  base.did = didOf(before, after);
  if (before.length < 2 || after.length < 2) return base; // one year a side has no spread to resample
  const rng = new Random(seed);
  const draw = (v: YearPair[]) => Array.from({ length: v.length }, () => v[Math.floor(rng.next() * v.length)]!);
  const stats = new Array<number>(RESAMPLES);
  for (let i = 0; i < RESAMPLES; i++) stats[i] = didOf(draw(before), draw(after));
  stats.sort((a, b) => a - b);
  base.ci_low = quantile(stats, 0.025);
  base.ci_high = quantile(stats, 0.975);
  return base;
}
