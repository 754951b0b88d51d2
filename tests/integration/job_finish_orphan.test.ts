// A split job whose finisher died after claiming the finish (every part over, the job 'running' with
// message 'finishing') is finished by the part's next delivery: the queue redelivers the part the
// dead finisher never completed, and that delivery finds its part over and the finish undone.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { finishPart, planParts } from '../../server/db/repositories/job_parts.repository';
import { insertJob } from '../../server/db/repositories/jobs.repository';
import { createLogger } from '../../server/log';
import { JobRunner } from '../../server/services/jobs.service';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

class ExposedRunner extends JobRunner {
  deliver(partId: number) {
    return this.runPart(partId, false);
  }
}

describe(`a split job's finish (${testDatabaseKind()} database)`, () => {
  it('is done by the next delivery of a part when the finisher died', async () => {
    const database = await getTestDatabase();
    await resetData(database);
    const runner = new ExposedRunner(database.db, createLogger(loadConfig({ LOG_LEVEL: 'silent' })));
    const finished: unknown[][] = [];
    runner.register('split', async () => 'unused', {
      run: async () => ({ counted: 1 }),
      finish: async (_params, results) => (finished.push(results), `${results.length} parts`),
    });
    const job = await insertJob(database.db, 'split', {});
    await database.db.updateTable('job').set({ status: 'running' }).where('id', '=', job.id).execute();
    const [p1, p2] = await planParts(database.db, job.id, [{ params: { n: 1 }, total: 1 }, { params: { n: 2 }, total: 1 }]);
    // Both parts finish; the last one claims the finish, and its process dies before finishing.
    expect(await finishPart(database.db, p1!, job.id, 'done', { counted: 1 })).toBe(false);
    expect(await finishPart(database.db, p2!, job.id, 'done', { counted: 1 })).toBe(true);
    expect(await runner.get(job.id)).toMatchObject({ status: 'running', message: 'finishing' });
    // The queue delivers part 2 again: it is over, so the delivery finishes the job.
    await runner.deliver(p2!);
    expect(await runner.get(job.id)).toMatchObject({ status: 'done', message: '2 parts', done: 2, total: 2 });
    expect(finished).toEqual([[{ counted: 1 }, { counted: 1 }]]);
    // A further delivery finds nothing to do.
    await runner.deliver(p1!);
    expect(finished.length).toBe(1);
  }, 120_000);
});
