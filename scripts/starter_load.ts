// npm run starter:load — loads the real starter layers of data/starter (see starter.json) into this
// database: a first start does it by itself; a database made before they shipped gets them here.
import { commandLine } from './cli_args';
import { migrateToLatest } from '../server/db/migrate';
import { runWithDatabase } from './cli';
import { ensureStarterLayers } from '../server/seed/starter_layers';
import { createLogger } from '../server/log';

commandLine({ options: {} });
await runWithDatabase('starter:load', async (database, config) => {
  await migrateToLatest(database.db);
  const loaded = await ensureStarterLayers(database.db, config.dataDir, createLogger(config));
  console.log(loaded ? `${loaded} starter layers loaded; statistics follow at the next start` : 'every starter layer was loaded already');
});
