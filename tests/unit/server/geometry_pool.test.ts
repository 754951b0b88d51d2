// The geometry pool's bounds: a task past its time limit is stopped (422) and the next one runs on
// a fresh thread; tasks wait for a thread for a bounded time and in a bounded queue (503).
import { afterAll, describe, expect, it } from 'vitest';
import { GeometryPool } from '../../../server/geometry/geometry_pool';
import { starPolygon } from '../../helpers/star_polygon';

describe('GeometryPool', () => {
  const pool = new GeometryPool({ timeLimitMs: 1500, threads: 1, maxWaiting: 1, maxWaitMs: 2000 });
  afterAll(() => pool.close());
  const star = { geometry: starPolygon(10_000), bufferM: 5000, polygonsOnly: true };
  const square = { geometry: { type: 'Polygon', coordinates: [[[-70, -12], [-69.9, -12], [-69.9, -11.9], [-70, -11.9], [-70, -12]]] }, bufferM: 0, polygonsOnly: true };

  it('stops a task at its time limit and runs the next one on a fresh thread', async () => {
    const t = performance.now();
    await expect(pool.run(star)).rejects.toMatchObject({ code: 'unprocessable' });
    expect(performance.now() - t).toBeLessThan(1500 + 1500);
    const ok = await pool.run(square);
    expect(ok.valid).toBe(true);
    expect(ok.geometry?.type).toBe('Polygon');
  }, 30_000);

  it('refuses a task when the queue is full (503), while the queued one still gets its turn', async () => {
    const running = pool.run(star); // holds the one thread for 1.5 s
    const waiting = pool.run(star); // waits, then runs and is stopped
    await expect(pool.run(square)).rejects.toMatchObject({ code: 'database_busy' }); // queue full
    await expect(running).rejects.toMatchObject({ code: 'unprocessable' });
    await expect(waiting).rejects.toMatchObject({ code: 'unprocessable' });
  }, 30_000);
});
