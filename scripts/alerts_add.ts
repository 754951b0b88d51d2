// npm run alerts:add -- <files...> --source gfw-integrated|glad-l|radd [--name N] [--version V] [--year Y]
//   gfw-integrated: one uint16 GeoTIFF per 10 x 10 degree tile (e.g. 10S_080W.tif)
//   glad-l: per tile the alert file and its alertDate file (alert24_10S_080W.tif, alertDate24_10S_080W.tif);
//           the year comes from the names, or --year
//   radd: one two-band GeoTIFF per tile (Alert, Date as YYDOY)
//   geobosques: one file of points or polygons (the zipped shapefile as published, GeoJSON, GeoPackage)
//               with fecha_alerta (or Fecha) and ubigeo; an OGC API Features collection alerts_<name>
// Several tiles make one layer; running it again with newer files replaces the layer whole.
import { commandLine } from './cli_args';
import { migrateToLatest } from '../server/db/migrate';
import { registerAlertLayer } from '../server/services/alerts.service';
import { addVectorAlerts } from '../server/services/vector_alerts.service';
import { ALERT_SOURCES, dateOfDay, type AlertSource } from '../server/alerts/alert_encoding';
import { runWithDatabase } from './cli';
import { createProgressReporter } from '../server/import/progress';

const { values, positionals } = commandLine({ allowPositionals: true, options: { source: { type: 'string' }, name: { type: 'string' }, version: { type: 'string' }, year: { type: 'string' } } });
const source = values.source as AlertSource | 'geobosques' | undefined;
if (positionals.length === 0 || !source || !(ALERT_SOURCES.includes(source as AlertSource) || source === 'geobosques') || (source === 'geobosques' && positionals.length !== 1) || (values.year !== undefined && !/^20\d\d$/.test(values.year))) {
  console.error(`atalaya: usage: npm run alerts:add -- <files...> --source ${ALERT_SOURCES.join('|')}|geobosques [--name N] [--version V] [--year YYYY] (geobosques: one file, a zipped shapefile, GeoJSON or GeoPackage)`);
  process.exit(2);
}
const name = values.name ?? source.replace(/-/g, '_');

await runWithDatabase('alerts:add', async (database, config) => {
  await migrateToLatest(database.db);
  const started = Date.now();
  if (source === 'geobosques') {
    const r = await addVectorAlerts(database.db, positionals[0]!, { name: name.toLowerCase() });
    console.log(`alert layer ${r.name}: ${r.alerts} alerts dated ${r.firstDate ?? '-'} to ${r.lastDate ?? '-'} in ${((Date.now() - started) / 1000).toFixed(1)} s; OGC API Features at /ogc/collections/alerts_${r.name}`);
    return;
  }
  const progress = createProgressReporter(`storing alerts ${name}`, process.stderr, 'blocks');
  const layer = await registerAlertLayer(database.db, {
    files: positionals, source: source as AlertSource, name, version: values.version, year: values.year ? Number(values.year) : undefined, dataDir: config.dataDir,
    onProgress: (p) => progress.update(p),
  }).finally(() => progress.stop());
  const range = layer.alertPixels ? `${dateOfDay(layer.firstDay)} to ${dateOfDay(layer.lastDay)}` : 'none';
  console.log(`alert layer ${layer.name} (id ${layer.id}, ${layer.width} x ${layer.height}): ${layer.alertPixels} alert pixels, dates ${range}; ${layer.changedBlocks} of ${layer.totalBlocks} blocks changed; stored in ${((Date.now() - started) / 1000).toFixed(1)} s; tiles at /tiles/alerts/${layer.name}/{z}/{x}/{y}.png`);
});
