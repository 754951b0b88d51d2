// npm run import -- <file> --kind <area kind> [--id-field F] [--name-field F] [--attr a,b] [--srid N]
//                   [--encoding E] [--layer L] [--licence "..."] [--source "..."]
// npm run import -- <file> --sites (--activity CODE | --activity-field F) [--site-kind K] ...
// npm run import -- <file> --activities            (activity matrix CSV)
import { parseArgs } from 'node:util';
import { importFeatureFile, type ImportTarget } from '../server/import/feature_importer';
import { importActivityMatrix } from '../server/import/activity_matrix';
import { createProgressReporter } from '../server/import/progress';
import { ImportError } from '../server/import/types';
import { migrateToLatest } from '../server/db/migrate';
import { seedWorkProgram } from '../server/seed/workprogram';
import { runWithDatabase } from './cli';
import { importThroughServer } from './import_via_server';

const { values, positionals } = parseArgs({
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
const usage = 'usage: npm run import -- <file> (--kind <area kind> | --sites --activity <code> | --activities) [options]; see README';
if (!file || [values.kind !== undefined, values.sites, values.activities].filter(Boolean).length !== 1) {
  console.error(`atalaya: ${usage}`);
  process.exit(2);
}
const srid = values.srid === undefined ? undefined : Number(values.srid);
if (srid !== undefined && !Number.isInteger(srid)) {
  console.error(`atalaya: --srid takes an EPSG code such as 32719, not "${values.srid}"`);
  process.exit(2);
}

if (await importThroughServer(file, values)) process.exit(0);

await runWithDatabase('import', async (database) => {
  await migrateToLatest(database.db);
  await seedWorkProgram(database.db);
  const progress = createProgressReporter(`importing ${file}`);
  try {
    const common = {
      ...(values['id-field'] ? { idField: values['id-field'] } : {}),
      ...(values['name-field'] ? { nameField: values['name-field'] } : {}),
      ...(values.attr ? { attributes: values.attr.split(',').map((s) => s.trim()) } : {}),
      ...(srid !== undefined ? { srid } : {}),
      ...(values.encoding ? { encoding: values.encoding } : {}),
      ...(values.layer ? { layer: values.layer } : {}),
      ...(values.licence ? { licence: values.licence } : {}),
      ...(values.source ? { source: values.source } : {}),
      onProgress: (p: { read: number; total: number; features: number }) => progress.update(p),
    };
    const report = values.activities
      ? await importActivityMatrix(database.db, file, common)
      : await importFeatureFile(
          database.db,
          file,
          (values.kind
            ? { type: 'areas', kind: values.kind, ...(values['create-kind'] ? { createKind: labels(values['create-kind']) } : {}) }
            : { type: 'sites', ...(values.activity ? { activityCode: values.activity } : {}), ...(values['activity-field'] ? { activityField: values['activity-field'] } : {}), ...(values['site-kind'] ? { siteKind: values['site-kind'] } : {}) }) as ImportTarget,
          common,
        );
    progress.stop();
    console.log(values.json ? JSON.stringify(report, null, 2) : summarise(report as unknown as Record<string, unknown>));
  } catch (e) {
    progress.stop();
    if (e instanceof ImportError) throw new Error(`${e.message}\nNothing was imported.`);
    throw e;
  }
});

function labels(text: string): { en: string; es: string } {
  const [en, es] = text.split('|').map((s) => s.trim());
  return { en: en || text, es: es || en || text };
}

function summarise(r: Record<string, unknown>): string {
  const list = (k: string) => {
    const v = r[k] as number[] | undefined;
    return v && v.length ? `${v.length} (features ${v.slice(0, 20).join(', ')}${v.length > 20 ? ', ...' : ''})` : '0';
  };
  return [
    `imported ${r.file} (${r.format}, layer ${r.layer}, EPSG:${r.srid} from ${r.sridSource}) into ${r.target}`,
    `  features read: ${r.features}; inserted ${r.inserted}, updated ${r.updated}`,
    ...('repaired' in r
      ? [
          `  repaired invalid geometries: ${list('repaired')}`,
          `  polygons stored as MultiPolygon: ${r.forcedMulti}`,
          `  skipped, no geometry: ${list('skippedNullGeometry')}; empty: ${list('skippedEmptyGeometry')}; wrong type: ${list('skippedWrongGeometryType')}`,
        ]
      : []),
    `  provenance id ${r.importSourceId}, sha256 ${String(r.contentHash).slice(0, 16)}…, ${r.elapsedMs} ms`,
  ].join('\n');
}
