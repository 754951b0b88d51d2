// npm run raster:add -- <files...> --kind lossyear|treecover [--name N] [--version GFC-2023-v1.11]
//   [--treecover T]: for a lossyear layer, the tree cover layer its statistics use by default
//   [--source S] [--licence L] [--description D]: shown with the layer wherever it is used
//   [--method-note hansen|none]: 'none' for a loss-year layer that is not Hansen's
// Several files make one mosaic layer (Hansen tiles on one grid).
import { commandLine } from './cli_args';
import path from 'node:path';
import { migrateToLatest } from '../server/db/migrate';
import { registerRasterLayer } from '../server/services/raster_layers.service';
import { runWithDatabase } from './cli';
import { createProgressReporter } from '../server/import/progress';

const { values, positionals } = commandLine({ allowPositionals: true, options: { kind: { type: 'string' }, name: { type: 'string' }, version: { type: 'string' }, treecover: { type: 'string' }, source: { type: 'string' }, licence: { type: 'string' }, description: { type: 'string' }, 'method-note': { type: 'string' } } });
const methodNote = values['method-note'];
if (positionals.length === 0 || (values.kind !== 'lossyear' && values.kind !== 'treecover') || (methodNote !== undefined && methodNote !== 'hansen' && methodNote !== 'none')) {
  console.error('atalaya: usage: npm run raster:add -- <files...> --kind lossyear|treecover [--name N] [--version V] [--treecover T] [--source S] [--licence L] [--description D] [--method-note hansen|none]');
  process.exit(2);
}
const name = values.name ?? path.basename(positionals[0]!).replace(/\.tiff?$/i, '').replace(/[^a-z0-9_-]+/gi, '_').slice(0, 63);

await runWithDatabase('raster:add', async (database, config) => {
  await migrateToLatest(database.db);
  const started = Date.now();
  const progress = createProgressReporter(`storing ${name}`, process.stderr, 'blocks');
  const layer = await registerRasterLayer(database.db, {
    files: positionals, kind: values.kind as 'lossyear' | 'treecover', name, ...(values.version ? { version: values.version } : {}), ...(values.treecover ? { treecover: values.treecover } : {}), dataDir: config.dataDir,
    about: { ...(values.source ? { source: values.source } : {}), ...(values.licence ? { licence: values.licence } : {}), ...(values.description ? { description: values.description } : {}), ...(methodNote ? { methodNote: methodNote as 'hansen' | 'none' } : {}) },
    onProgress: (p) => progress.update(p),
  }).finally(() => progress.stop());
  console.log(`raster layer ${layer.name} (id ${layer.id}, ${layer.kind}, ${layer.width} x ${layer.height}) stored in ${((Date.now() - started) / 1000).toFixed(1)} s; tiles at /tiles/rasters/${layer.name}/{z}/{x}/{y}.png`);
});
