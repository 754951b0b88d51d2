// A scheduled job is stored once however many processes run the schedule: every web process's cron
// fires in the same minute and enqueues with that run's key; the others get the same job back.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { JobRunner, scheduledRunKey } from '../../server/services/jobs.service';
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
  });
});
