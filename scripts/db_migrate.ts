// npm run db:migrate — bring the configured database to the latest migration and seed the programme.
import './cli_args';
import { migrateToLatest } from '../server/db/migrate';
import { seedWorkProgram } from '../server/seed/workprogram';
import { runWithDatabase } from './cli';

await runWithDatabase('db:migrate', async (database) => {
  const result = await migrateToLatest(database.db);
  const applied = result.results ?? [];
  for (const r of applied) console.log(`${r.status === 'Success' ? 'applied' : r.status}: ${r.migrationName}`);
  if (applied.length === 0) console.log('schema already at the latest migration');
  await seedWorkProgram(database.db);
  console.log(`work program seeded (${database.kind} database: ${database.location})`);
});
