// npm run worker
// A worker for ATALAYA_JOB_QUEUE=postgres: takes jobs and the parts of split jobs (statistics
// batches by subject runs) from the queue in the PostgreSQL server until stopped (SIGINT/SIGTERM: it
// finishes or gives back what it holds). Start as many as the machines have cores to spare; each
// needs DATABASE_URL and the raster store (ATALAYA_DATA_DIR on a shared folder).
import { ConfigError, loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import { createLogger } from '../server/log';
import { createAnalysisContext } from '../server/services/analysis_context';
import { queueOptions, registerJobKinds } from '../server/services/job_kinds';
import { RasterStores } from '../server/services/rasters.service';

let config;
try {
  config = loadConfig();
} catch (e) {
  console.error(`atalaya: ${(e as Error).message}`);
  process.exit(1);
}
const queue = queueOptions(config, true);
if (!queue) {
  console.error('atalaya: a worker takes jobs from the PostgreSQL queue: set DATABASE_URL and ATALAYA_JOB_QUEUE=postgres (the embedded database runs its jobs in the server process)');
  process.exit(2);
}
const log = createLogger(config);
try {
  const database = await openDatabase(config, { purpose: 'atalaya worker' });
  await migrateToLatest(database.db);
  const analysis = createAnalysisContext(database.db, log, { rasters: new RasterStores(database.db), siteBufferM: config.siteBufferM, geometryTimeLimitMs: config.geometryTimeLimitMs, threads: config.analysisThreads, queue });
  registerJobKinds(database.db, analysis, config, log);
  await analysis.jobs.start();
  const stop = async (signal: string) => {
    log.info({ signal }, 'worker stopping');
    await analysis.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (e) {
  console.error(`atalaya: the worker could not start: ${e instanceof ConfigError ? e.message : (e as Error).message}`);
  process.exit(1);
}
