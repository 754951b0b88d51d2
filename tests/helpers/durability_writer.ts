// Child process for the durability test: commits one activity at a time on the embedded database
// and prints "committed N" after each commit, until it is killed.
import { openDatabase } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { upsertActivity } from '../../server/db/repositories/activities.repository';
import { seedWorkProgram } from '../../server/seed/workprogram';

const dataDir = process.argv[2]!;
const database = await openDatabase({ databaseUrl: undefined, dataDir, databasePoolSize: 1 }, { purpose: 'durability writer' });
await migrateToLatest(database.db);
await seedWorkProgram(database.db);
for (let n = 1; ; n++) {
  await database.db.transaction().execute((trx) =>
    upsertActivity(trx, {
      code: `K-${n}`, title: `Committed ${n}`, summary: '', priorityArea: 'B', actionAreas: ['B2'], goals: ['B'],
      leadAgency: 'test', implementingPartners: [], fundingStatus: 'funded', startDate: null, endDate: null,
      status: 'ongoing', published: true, properties: {},
    }),
  );
  process.stdout.write(`committed ${n}\n`);
}
