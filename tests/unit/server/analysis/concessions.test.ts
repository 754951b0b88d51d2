import { describe, expect, it } from 'vitest';
import { concessionMetrics } from '../../../../server/analysis/concessions/concession_metrics';
import { flagReason, peerFlags } from '../../../../server/analysis/concessions/peer_flags';
import { Random } from '../../../../server/util/random';

const series = (f: (year: number) => number) => Array.from({ length: 23 }, (_, i) => ({ year: 2001 + i, loss_ha: f(2001 + i) }));

describe('concession metrics', () => {
  it('splits loss and rates at the contract start, on the forest remaining each year', () => {
    // 1,000 ha of forest; 10 ha a year before 2010, 20 ha a year from 2010.
    const m = concessionMetrics(1000, series((y) => (y < 2010 ? 10 : 20)), 2010);
    expect(m.totalLossHa).toBe(9 * 10 + 14 * 20);
    expect(m.lossSinceContractHa).toBe(14 * 20);
    expect(m.remainingForestHa).toBe(1000 - 370);
    // Before: 10 / 1000, 10 / 990, ... 10 / 920 (in %), averaged.
    const before = Array.from({ length: 9 }, (_, i) => (10 / (1000 - 10 * i)) * 100);
    expect(m.rateBeforePct).toBeCloseTo(before.reduce((a, b) => a + b) / 9, 3);
    const during = Array.from({ length: 14 }, (_, i) => (20 / (910 - 20 * i)) * 100);
    expect(m.rateDuringPct).toBeCloseTo(during.reduce((a, b) => a + b) / 14, 3);
    // Last 3 years (2021-2023) against the 5 before (2016-2020): equal here.
    expect(m.recentTrend).toBe(1);
  });

  it('reports a recent surge and a contract without a start', () => {
    const m = concessionMetrics(500, series((y) => (y >= 2021 ? 9 : 3)), null);
    expect(m.recentMeanHa).toBe(9);
    expect(m.previousMeanHa).toBe(3);
    expect(m.recentTrend).toBe(3);
    expect(m.lossSinceContractHa).toBeNull();
    expect(m.rateDuringPct).toBe(m.rateBeforePct);
  });
});

describe('peer flags (median + k x MAD within type and region)', () => {
  it('finds the planted outliers, and only them', () => {
    const rng = new Random(42);
    const items: { id: number; group: string; rate: number | null }[] = [];
    const planted = new Set<number>();
    let id = 0;
    for (const group of ['timber|Madre de Dios', 'timber|Ucayali', 'brazil_nut|Madre de Dios', 'conservation|Ucayali']) {
      const base = group.startsWith('timber') ? 0.8 : 0.2;
      for (let i = 0; i < 60; i++) {
        // Rates spread evenly within +-30 % of the group's typical rate, so no honest member is far out.
        items.push({ id: ++id, group, rate: base * (0.7 + 0.6 * rng.next()) });
      }
      for (let i = 0; i < 2; i++) {
        items.push({ id: ++id, group, rate: base * (4 + rng.next()) });
        planted.add(id);
      }
    }
    items.push({ id: ++id, group: 'timber|Ucayali', rate: null }); // no forest: no rate, no flag
    const flags = peerFlags(items, 3);
    const flagged = [...flags].filter(([, p]) => p.flagged).map(([i]) => i);
    expect(new Set(flagged)).toEqual(planted);
    const top = flags.get([...planted][0]!)!;
    expect(top.rank).toBeLessThanOrEqual(2);
    expect(top.percentile).toBeGreaterThan(95);
    expect(flags.get(id)).toMatchObject({ rank: null, flagged: false });
    const reason = flagReason(items.find((i) => i.id === [...planted][0])!.rate!, top, 'timber', 'Madre de Dios', 3);
    expect(reason.en).toMatch(/above the timber concessions of Madre de Dios \(median .* \+ 3 x MAD/);
    expect(reason.es).toMatch(/por encima de las concesiones timber de Madre de Dios/);
  });

  it('flags nothing in groups too small to judge, and a larger k flags fewer', () => {
    const small = peerFlags([1, 2, 3, 4].map((i) => ({ id: i, group: 'g', rate: i === 4 ? 50 : 1 })), 3);
    expect([...small.values()].some((p) => p.flagged)).toBe(false);
    const rates = [0.1, 0.12, 0.11, 0.13, 0.1, 0.12, 0.5, 0.9];
    const loose = peerFlags(rates.map((r, i) => ({ id: i, group: 'g', rate: r })), 2);
    const strict = peerFlags(rates.map((r, i) => ({ id: i, group: 'g', rate: r })), 20);
    const count = (m: Map<number, { flagged: boolean }>) => [...m.values()].filter((p) => p.flagged).length;
    expect(count(loose)).toBe(2);
    expect(count(strict)).toBe(1);
  });
});
