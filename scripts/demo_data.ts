// npm run demo:data [-- --load] — (re)generate the synthetic demo files; with --load, also load them.
import './cli_args';
import { loadConfig } from '../server/config';
import { migrateToLatest } from '../server/db/migrate';
import { demoDir, loadDemoData } from '../server/demo/load_demo';
import { generateDemoData } from '../server/demo/generate';
import { seedWorkProgram } from '../server/seed/workprogram';
import { runWithDatabase } from './cli';

const load = process.argv.includes('--load');
const dir = demoDir(loadConfig());
const started = Date.now();
const manifest = await generateDemoData({ outDir: dir });
console.log(
  `demo data written to ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
    `${manifest.counts.areas} areas, ${manifest.counts.activities} activities, ${manifest.counts.sites} sites, ` +
    `raster ${manifest.raster.width} x ${manifest.raster.height} (${manifest.raster.lossPixels} loss pixels)`,
);
if (load) {
  await runWithDatabase('demo:data --load', async (database) => {
    await migrateToLatest(database.db);
    await seedWorkProgram(database.db);
    await loadDemoData(database.db, dir, manifest);
    console.log(`loaded into the ${database.kind} database`);
  });
} else {
  console.log('the server loads these on its first start; run with --load to load them now');
}
