// npm run import -- <file> --kind <area kind> [--id-field F] [--name-field F] [--attr a,b] [--srid N]
//                   [--encoding E] [--layer L] [--licence "..."] [--source "..."]
// npm run import -- <file> --sites (--activity CODE | --activity-field F) [--site-kind K] ...
// npm run import -- <file> --activities            (activity matrix CSV)
import { commandLine } from './cli_args';
import { importFieldsSchema } from '../server/api';
import { importFeatureFile } from '../server/import/feature_importer';
import { importFieldsFromCli, importPlan, summariseImport } from '../server/import/import_request';
import { importActivityMatrix } from '../server/import/activity_matrix';
import { createProgressReporter } from '../server/import/progress';
import { ImportError } from '../server/import/types';
import { migrateToLatest } from '../server/db/migrate';
import { seedWorkProgram } from '../server/seed/workprogram';
import { runWithDatabase } from './cli';
import { importThroughServer } from './import_via_server';

const { values, positionals } = commandLine({
  allowPositionals: true,
  options: {
    kind: { type: 'string' },
    'create-kind': { type: 'string' },
    sites: { type: 'boolean' },
    activities: { type: 'boolean' },
    activity: { type: 'string' },
    'activity-field': { type: 'string' },
    'site-kind': { type: 'string' },
    'id-field': { type: 'string' },
    'name-field': { type: 'string' },
    attr: { type: 'string' },
    srid: { type: 'string' },
    encoding: { type: 'string' },
    layer: { type: 'string' },
    licence: { type: 'string' },
    source: { type: 'string' },
    json: { type: 'boolean' },
  },
});

const file = positionals[0];
const usage = 'usage: npm run import -- <file> (--kind <area kind> | --sites --activity <code> | --activities) [options]; see docs/user-guide.md (Importing data) or --help';
if (!file || [values.kind !== undefined, values.sites, values.activities].filter(Boolean).length !== 1) {
  console.error(`atalaya: ${usage}`);
  process.exit(2);
}
// The flags become the same form fields the HTTP API takes, checked by the same contract.
const fields = importFieldsFromCli(values);
const parsed = importFieldsSchema.safeParse(fields);
if (!parsed.success) {
  const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace('attributes', 'attr')}`;
  console.error(`atalaya: ${parsed.error.issues.map((i) => (i.path.length ? `${flag(String(i.path[0]))}: ${i.message}` : i.message)).join('; ')}`);
  process.exit(2);
}
const print = (report: object) => console.log(values.json ? JSON.stringify(report, null, 2) : summariseImport(report as Record<string, unknown>));

const through = await importThroughServer(file, fields);
if (through) {
  print(through);
  process.exit(0);
}

await runWithDatabase('import', async (database) => {
  await migrateToLatest(database.db);
  await seedWorkProgram(database.db);
  const progress = createProgressReporter(`importing ${file}`);
  try {
    const plan = importPlan(parsed.data);
    const options = { ...plan.options, onProgress: (p: { read: number; total: number; features: number }) => progress.update(p) };
    const report = plan.kind === 'activities' ? await importActivityMatrix(database.db, file, options) : await importFeatureFile(database.db, file, plan.target, options);
    progress.stop();
    print(report);
  } catch (e) {
    progress.stop();
    if (e instanceof ImportError) throw new Error(`${e.message}\nNothing was imported.`, { cause: e });
    throw e;
  }
});
