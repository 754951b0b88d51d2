// npm run fetch -- <source...> [--bbox west,south,east,north | --region peru] [--since YYYY-MM-DD] [--dry-run] [--list]
//   Fetches real sources from data/sources.json (Hansen tiles, SERNANP, SERFOR, ...) and stores them
//   through the import and raster paths, with provenance. An unchanged source is not downloaded or
//   imported again. List the sources with --list. Order matters: a tree cover layer before the loss
//   layer that names it (hansen-treecover2000 hansen-lossyear).
import { commandLine } from './cli_args';
import { migrateToLatest } from '../server/db/migrate';
import { runWithDatabase } from './cli';
import { findSources, loadCatalogue } from '../server/sources/catalogue';
import { fetchSource, type FetchOptions } from '../server/services/source_fetch.service';
import type { Bbox } from '../server/fetch/tile_grid';

const { values, positionals } = commandLine({ allowPositionals: true, options: { bbox: { type: 'string' }, region: { type: 'string' }, since: { type: 'string' }, 'dry-run': { type: 'boolean' }, list: { type: 'boolean' } } });
const usage = 'atalaya: usage: npm run fetch -- <source...> [--bbox west,south,east,north | --region peru] [--since YYYY-MM-DD] [--dry-run] (--list shows the sources)';
const catalogue = loadCatalogue();
if (values.list) {
  for (const s of catalogue.sources) console.log(`${s.id.padEnd(26)} ${s.protocol.padEnd(12)} ${s.title.en}${s.uncertain ? ' [address to confirm: set ' + s.setting + ']' : ''}`);
  process.exit(0);
}
if (positionals.length === 0) {
  console.error(usage);
  process.exit(2);
}
let bbox: Bbox | undefined;
if (values.bbox) {
  const parts = values.bbox.split(',').map(Number);
  if (parts.length !== 4 || parts.some((v) => !Number.isFinite(v))) {
    console.error('atalaya: --bbox is west,south,east,north in degrees, e.g. --bbox -72.5,-13.5,-68.6,-9.8');
    process.exit(2);
  }
  bbox = parts as Bbox;
}
if (values.region !== undefined && values.region !== 'peru') {
  console.error('atalaya: --region peru is the region known; give --bbox for another area.');
  process.exit(2);
}
if (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.since)) {
  console.error('atalaya: --since is a date, YYYY-MM-DD.');
  process.exit(2);
}
let sources;
try {
  sources = findSources(catalogue, positionals);
} catch (e) {
  console.error(`atalaya: ${(e as Error).message}`);
  process.exit(2);
}

await runWithDatabase('fetch', async (database, config) => {
  await migrateToLatest(database.db);
  const options: FetchOptions = {
    dataDir: config.dataDir,
    ...(bbox ? { bbox } : {}),
    ...(values.region === 'peru' ? { region: 'peru' as const } : {}),
    ...(values.since ? { since: values.since } : {}),
    ...(values['dry-run'] ? { dryRun: true } : {}),
    http: { onRetry: (r) => console.error(`  retry ${r.attempt} of ${r.url} in ${(r.waitMs / 1000).toFixed(1)} s (${r.reason})`) },
    onProgress: (m) => process.stderr.write(`\r${m}   `),
  };
  let failed = 0;
  for (const source of sources) {
    const started = Date.now();
    try {
      const r = await fetchSource(database.db, source, options);
      process.stderr.write('\n');
      console.log(`${r.source}: ${r.status.replace('_', ' ')}; ${r.detail} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      if (values['dry-run']) for (const u of r.urls) console.log(`  ${u}`);
    } catch (e) {
      failed++;
      process.stderr.write('\n');
      console.error(`${source.id}: failed: ${(e as Error).message}${source.uncertain ? `\n  note: ${source.uncertain}` : ''}`);
    }
  }
  if (failed) process.exitCode = 1;
});
