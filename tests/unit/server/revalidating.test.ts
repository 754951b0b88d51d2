// The stale-while-revalidate value behind tile versions, area kinds and raster rows.
import { describe, expect, it } from 'vitest';
import { Revalidating } from '../../../server/services/revalidating';

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Revalidating', () => {
  it('reads once per ttl, answers a slow re-read with the old value after its wait, and a fast one with the new', async () => {
    let reads = 0;
    let delay = 0;
    const v = new Revalidating(async () => (await later(delay), ++reads), 300, 100);
    expect(await v.get()).toBe(1);
    expect(await v.get()).toBe(1); // within the ttl: no read
    expect(reads).toBe(1);
    await later(310);
    delay = 500; // a busy database
    expect(await v.get()).toBe(1); // the old value after 100 ms
    expect(await v.get()).toBe(1); // the same re-read still running: not a second one
    await later(500); // the re-read has answered (about 100 ms ago)
    delay = 0;
    expect(await v.get()).toBe(2);
    await later(310);
    expect(await v.get()).toBe(3); // a responsive database answers within the wait
  });

  it('passes an error to a caller with nothing to fall back on, and keeps the old value otherwise', async () => {
    let fail = true;
    const v = new Revalidating(async () => {
      if (fail) throw new Error('down');
      return 'ok';
    }, 10, 5);
    await expect(v.get()).rejects.toThrow('down');
    fail = false;
    expect(await v.get()).toBe('ok');
    await later(20);
    fail = true;
    expect(await v.get()).toBe('ok');
  });
});
