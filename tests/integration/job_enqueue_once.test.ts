// A scheduled job is stored once however many processes run the schedule: every web process's cron
// fires in the same minute and enqueues with that run's key; the others get the same job back. The
// start-up refresh of web processes starting together is one batch while it is pending.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { JobRunner, pendingRunKey, scheduledRunKey } from '../../server/services/jobs.service';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

describe(`jobs enqueued once per scheduled run (${testDatabaseKind()} database)`, () => {
  it('stores one job for two processes enqueueing the same run, and a new one for the next run', async () => {
    const database = await getTestDatabase();
    await resetData(database);
    const log = createLogger(loadConfig({ LOG_LEVEL: 'silent' }));
    // Two runners that are never started: two web processes, each only enqueueing.
    const [a, b] = [new JobRunner(database.db, log), new JobRunner(database.db, log)];
    const at = new Date('2026-12-07T06:00:12Z');
    const key = scheduledRunKey('alert-digests', at);
    expect(key).toBe('alert-digests@2026-12-07T06:00');
    const [first, second] = await Promise.all([a.enqueue('alert-digests', {}, { once: key }), b.enqueue('alert-digests', {}, { once: key })]);
    expect(second.id).toBe(first.id);
    const next = await a.enqueue('alert-digests', {}, { once: scheduledRunKey('alert-digests', new Date('2026-12-08T06:00:03Z')) });
    expect(next.id).not.toBe(first.id);
    // Unkeyed jobs are never merged.
    const [x, y] = await Promise.all([a.enqueue('alert-digests', {}), b.enqueue('alert-digests', {})]);
    expect(x.id).not.toBe(y.id);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM job WHERE kind = 'alert-digests'`.execute(database.db);
    expect(rows[0]!.n).toBe(4);
  }, 120_000); // the first test opens the embedded database

  it('joins an equal job while it is pending, and stores a new one once it has finished', async () => {
    const database = await getTestDatabase();
    await resetData(database);
    const log = createLogger(loadConfig({ LOG_LEVEL: 'silent' }));
    const [a, b] = [new JobRunner(database.db, log), new JobRunner(database.db, log)];
    // The jobs wait until the asks below are made, so they are still pending then.
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    for (const r of [a, b]) r.register('refresh', async () => (await gate, 'done'));
    const [first, second] = await Promise.all([a.enqueue('refresh', { layer: 1 }, { once: pendingRunKey('refresh', { layer: 1 }) }), b.enqueue('refresh', { layer: 1 }, { once: pendingRunKey('refresh', { layer: 1 }) })]);
    expect(second.id).toBe(first.id);
    const other = await b.enqueue('refresh', { layer: 2 }, { once: pendingRunKey('refresh', { layer: 2 }) });
    expect(other.id).not.toBe(first.id);
    // Once it has run, the key is let go and the next ask is a new job.
    release();
    await a.start();
    await a.idle();
    await b.idle();
    const after = await b.enqueue('refresh', { layer: 1 }, { once: pendingRunKey('refresh', { layer: 1 }) });
    expect(after.id).not.toBe(first.id);
    expect((await a.get(first.id)).status).toBe('done');
    await a.stop();
    await b.stop();
  });
});
