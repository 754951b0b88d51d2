// What a forest authority reads first about a concession: its loss over the years, before and during
// its contract, and lately. Pure functions over a loss series (no database, no HTTP).
import { round } from '../zonal/loss_series';

export interface YearLoss {
  year: number;
  loss_ha: number;
}

export interface ConcessionMetrics {
  forest2000Ha: number;
  totalLossHa: number;
  /** Loss since the contract started (its start year included). */
  lossSinceContractHa: number | null;
  /** Mean yearly loss as % of the forest remaining at the start of each year. */
  rateBeforePct: number | null;
  rateDuringPct: number | null;
  /** Mean yearly loss of the last 3 years and of the 5 before them (ha/yr), and their ratio. */
  recentMeanHa: number;
  previousMeanHa: number;
  recentTrend: number | null;
  remainingForestHa: number;
}


/**
 * The rate of a year is its loss over the forest left at the start of that year (forest in 2000 minus
 * the loss of the years before), so a concession that has already lost much is not flattered; the
 * rate of a period is the mean of its years' rates. Years before 2001 or after the series are none.
 */
export function concessionMetrics(forest2000Ha: number, years: YearLoss[], contractStartYear: number | null): ConcessionMetrics {
  const sorted = [...years].sort((a, b) => a.year - b.year);
  let remaining = forest2000Ha;
  const before: number[] = [];
  const during: number[] = [];
  let sinceContract = 0;
  let total = 0;
  for (const y of sorted) {
    const rate = remaining > 0 ? (y.loss_ha / remaining) * 100 : 0;
    if (contractStartYear !== null && y.year >= contractStartYear) {
      during.push(rate);
      sinceContract += y.loss_ha;
    } else before.push(rate);
    remaining -= y.loss_ha;
    total += y.loss_ha;
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  const last = sorted.slice(-3).map((y) => y.loss_ha);
  const previous = sorted.slice(-8, -3).map((y) => y.loss_ha);
  const recentMean = mean(last) ?? 0;
  const previousMean = mean(previous) ?? 0;
  const r = (v: number | null) => (v === null ? null : round(v));
  return {
    forest2000Ha: round(forest2000Ha),
    totalLossHa: round(total),
    lossSinceContractHa: contractStartYear === null ? null : round(sinceContract),
    rateBeforePct: r(mean(before)),
    rateDuringPct: contractStartYear === null ? r(mean(before)) : r(mean(during)),
    recentMeanHa: round(recentMean),
    previousMeanHa: round(previousMean),
    recentTrend: previousMean > 0 ? round(recentMean / previousMean) : null,
    remainingForestHa: round(Math.max(0, remaining)),
  };
}
