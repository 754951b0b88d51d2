import { describe, expect, it } from 'vitest';
import { Random } from '../../../../server/util/random';

describe('Random', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.next())(new Random(42)));
    const b = Array.from({ length: 5 }, ((r) => () => r.next())(new Random(42)));
    const c = Array.from({ length: 5 }, ((r) => () => r.next())(new Random(43)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws uniformly in [0, 1) and integers within bounds', () => {
    const r = new Random(7);
    const buckets = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = r.next();
      if (v < 0 || v >= 1) outside++;
      else buckets[Math.floor(v * 10)]++;
    }
    expect(outside).toBe(0);
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(1, 23);
      expect(n >= 1 && n <= 23 && Number.isInteger(n)).toBe(true);
    }
  });
});
