// npm run alerts:digest -- [--force]
// Makes the alert digests that are due (every user with subscriptions with --force) and delivers
// them, and whatever earlier runs left unsent: what the server does on ATALAYA_DIGEST_SCHEDULE. Run
// it again after a crash: nothing is reported twice. When the embedded database belongs to a
// running server, the run happens there as a job (with an admin's ATALAYA_API_TOKEN).
import { commandLine } from './cli_args';
import { loadConfig } from '../server/config';
import { migrateToLatest } from '../server/db/migrate';
import { createLogger } from '../server/log';
import { RasterStores } from '../server/services/rasters.service';
import { runDigests } from '../server/services/digest_jobs';
import { runningServerUrl, runWithDatabase } from './cli';

const { values } = commandLine({ options: { force: { type: 'boolean' } } });
const config = loadConfig();
const url = runningServerUrl(config, 'run the digests');
if (url) {
  const res = await fetch(`${url}/api/alerts/digests/run`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiToken}` }, body: JSON.stringify(values.force ? { force: true } : {}) });
  if (!res.ok) {
    console.error(`atalaya: the server refused the run (${res.status}): ${await res.text()}`);
    process.exit(1);
  }
  const job = (await res.json()) as { id: number };
  for (;;) {
    const j = (await (await fetch(`${url}/api/jobs/${job.id}`)).json()) as { status: string; message: string | null };
    if (j.status === 'done' || j.status === 'failed') {
      console.log(`alert digests (job ${job.id} on the server): ${j.status}: ${j.message ?? ''}`);
      process.exit(j.status === 'done' ? 0 : 1);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
await runWithDatabase('alerts:digest', async (database) => {
  await migrateToLatest(database.db);
  const rasters = new RasterStores(database.db);
  try {
    const message = await runDigests(database.db, config, createLogger(config), { rasters, siteBufferM: config.siteBufferM }, values.force ? { force: true } : {});
    console.log(`alert digests: ${message}`);
  } finally {
    rasters.close();
  }
});
