// The progress rule and the difference in differences on numbers whose answers are known.
import { describe, expect, it } from 'vitest';
import { progressStatus, worstStatus } from '../../../../server/analysis/progress/progress_status';
import { differenceInDifferences, type YearPair } from '../../../../server/analysis/progress/difference_in_differences';
import { trendSummary } from '../../../../server/analysis/progress/trend_summary';
import { Random } from '../../../../server/util/random';

describe('progress status (linear path from baseline to target)', () => {
  const base = { direction: 'lower_is_better' as const, baseline: { value: 100, year: 2015 }, target: { value: 50, year: 2025 } };
  it('is on track when as good as the path expects or better', () => {
    // Half way in time, 25 expected off: 75 expected.
    expect(progressStatus({ ...base, latest: { value: 75, at: 2020 } })).toMatchObject({ status: 'on_track', expected: 75, expected_share: 0.5, achieved_share: 0.5 });
    expect(progressStatus({ ...base, latest: { value: 60, at: 2020 } }).status).toBe('on_track');
  });
  it('is at risk when worse by at most a quarter of the change, off track beyond', () => {
    expect(progressStatus({ ...base, latest: { value: 85, at: 2020 } }).status).toBe('at_risk'); // 0.3 achieved vs 0.5
    expect(progressStatus({ ...base, latest: { value: 90, at: 2020 } }).status).toBe('off_track'); // 0.2 achieved
    expect(progressStatus({ ...base, latest: { value: 110, at: 2020 } }).status).toBe('off_track'); // went the wrong way
  });
  it('reads higher-is-better targets the same way', () => {
    const up = { direction: 'higher_is_better' as const, baseline: { value: 0, year: 2016 }, target: { value: 400, year: 2020 } };
    expect(progressStatus({ ...up, latest: { value: 300, at: 2019 } }).status).toBe('on_track');
    expect(progressStatus({ ...up, latest: { value: 150, at: 2019 } }).status).toBe('off_track');
    expect(progressStatus({ ...up, latest: { value: 450, at: 2024 } })).toMatchObject({ status: 'on_track', expected: 400 });
  });
  it('follows the direction, not the sign of the change: overshooting a "limit the rise" target is off track', () => {
    const limit = { direction: 'lower_is_better' as const, baseline: { value: 1.2, year: 2013 }, target: { value: 1.5, year: 2019 } };
    expect(progressStatus({ ...limit, latest: { value: 2.43, at: 2023 } })).toMatchObject({ status: 'off_track', expected: 1.5 });
    expect(progressStatus({ ...limit, latest: { value: 1.3, at: 2016 } }).status).toBe('on_track'); // below the 1.35 the path allows
    expect(progressStatus({ ...limit, latest: { value: 1.4, at: 2016 } }).status).toBe('at_risk'); // 0.05 over, within 0.075
    const hold = { direction: 'lower_is_better' as const, baseline: { value: 2, year: 2015 }, target: { value: 2, year: 2020 } };
    expect(progressStatus({ ...hold, latest: { value: 1.9, at: 2018 } }).status).toBe('on_track');
    expect(progressStatus({ ...hold, latest: { value: 2.4, at: 2018 } }).status).toBe('at_risk');
    expect(progressStatus({ ...hold, latest: { value: 2.6, at: 2018 } }).status).toBe('off_track');
  });
  it('has no data without baseline, target or a value after the baseline', () => {
    expect(progressStatus({ ...base, latest: null }).status).toBe('no_data');
    expect(progressStatus({ ...base, baseline: null, latest: { value: 1, at: 2020 } }).status).toBe('no_data');
    expect(progressStatus({ ...base, latest: { value: 1, at: 2014 } }).status).toBe('no_data');
  });
  it('takes the worst status of an activity', () => {
    expect(worstStatus(['on_track', 'no_data', 'at_risk'])).toBe('at_risk');
    expect(worstStatus(['no_data'])).toBe('no_data');
    expect(worstStatus([])).toBe('no_data');
  });
});

/** Yearly rates with a regional trend and shocks shared by buffer and ring, binomial noise, and a planted effect after the start. */
function simulate(rng: Random, effect: number, startYear = 2012): YearPair[] {
  const pairs: YearPair[] = [];
  const noise = () => (rng.next() + rng.next() + rng.next() - 1.5) * 0.2; // ~N(0, 0.1)
  for (let year = 2001; year <= 2023; year++) {
    const regional = 1 + 0.05 * (year - 2001) + (rng.next() - 0.5) * 0.8;
    pairs.push({ year, buffer: regional + (year > startYear ? effect : 0) + noise(), ring: regional + noise() });
  }
  return pairs;
}

describe('difference in differences', () => {
  it('is exact on noiseless data and nets out the regional trend', () => {
    const pairs: YearPair[] = [];
    for (let year = 2001; year <= 2020; year++) pairs.push({ year, buffer: 1 + 0.1 * (year - 2001) + (year > 2010 ? -0.5 : 0), ring: 1 + 0.1 * (year - 2001) });
    const r = differenceInDifferences(pairs, 2010);
    expect(r.years_before).toBe(9);
    expect(r.years_after).toBe(10);
    expect(r.did).toBeCloseTo(-0.5, 10);
    expect(r.ci_low).toBeCloseTo(-0.5, 10);
    expect(r.ci_high).toBeCloseTo(-0.5, 10);
  });

  it('recovers a planted effect within its interval, and covers zero without one, at about the stated rate', () => {
    const rng = new Random(7);
    let coveredEffect = 0;
    let coveredZero = 0;
    let excludedZeroWithEffect = 0;
    const runs = 300;
    for (let i = 0; i < runs; i++) {
      const withEffect = differenceInDifferences(simulate(rng, -0.4), 2012, i);
      if (withEffect.ci_low! <= -0.4 && -0.4 <= withEffect.ci_high!) coveredEffect++;
      if (withEffect.ci_high! < 0) excludedZeroWithEffect++;
      const none = differenceInDifferences(simulate(rng, 0), 2012, i);
      if (none.ci_low! <= 0 && 0 <= none.ci_high!) coveredZero++;
    }
    // A 95 % percentile bootstrap over ~11 years a side is a little narrow; it must still cover most of the time.
    expect(coveredEffect / runs).toBeGreaterThan(0.88);
    expect(coveredZero / runs).toBeGreaterThan(0.88);
    expect(excludedZeroWithEffect / runs).toBeGreaterThan(0.95); // and it has the power to see a 0.4 point drop
  });

  it('gives no interval with a single year a side, and no estimate with none', () => {
    const pairs = [2009, 2010, 2011].map((year) => ({ year, buffer: year - 2000, ring: 1 }));
    const one = differenceInDifferences(pairs, 2010);
    expect(one.did).toBe(2); // (11 − 9) − (1 − 1)
    expect(one.ci_low).toBeNull();
    expect(differenceInDifferences(pairs, 2011).did).toBeNull();
  });

  it('words the result as association, with the warnings, in both languages', () => {
    const r = differenceInDifferences(simulate(new Random(3), -0.4), 2012);
    const s = trendSummary(r, 5, ['method_change']);
    expect(s.en).toMatch(/association, not proof/);
    expect(s.es).toMatch(/asociación, no una prueba/);
    expect(s.en).toMatch(/2011/);
    expect(s.en).toMatch(/excludes zero/);
    const few = trendSummary(differenceInDifferences(simulate(new Random(3), 0).filter((p) => p.year >= 2010 && p.year <= 2016), 2012), 5, ['few_years']);
    expect(few.en).toMatch(/fewer than 3 years on one side \(2 before, 4 after\)/);
  });
});
