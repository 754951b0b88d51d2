// npm run package -- (--area <id> | --activity <id> | --site <id> | --bbox west,south,east,north) --out <file.pmtiles> [--minzoom 8] [--maxzoom 15]
//   Builds the offline package of an area (an activity's or a site's surroundings, or a box) as the
//   field app takes it: one PMTiles v3 archive of vector tiles (areas by kind, sites, forest loss and
//   alerts, the Protomaps basemap when ATALAYA_BASEMAP_PMTILES is set) and <file>.json beside it
//   (the subject, areas, sites, activities and indicators, alerts with their identities, the report
//   forms). QGIS and GDAL (3.8 and later) open the archive directly. When the embedded database
//   belongs to a running server, the server builds it (with a personal ATALAYA_API_TOKEN).
import fs from 'node:fs';
import { commandLine } from './cli_args';
import { loadConfig } from '../server/config';
import { migrateToLatest } from '../server/db/migrate';
import { RasterStores } from '../server/services/rasters.service';
import { VectorTiles } from '../server/services/vector_tiles.service';
import { buildPackage } from '../server/services/area_packages.service';
import { packageRequestSchema, type PackageRequest } from '../server/api/packages';
import { runningServerUrl, runWithDatabase } from './cli';

const { values } = commandLine({ options: { area: { type: 'string' }, activity: { type: 'string' }, site: { type: 'string' }, bbox: { type: 'string' }, out: { type: 'string' }, minzoom: { type: 'string' }, maxzoom: { type: 'string' } } });
const fail = (message: string): never => {
  console.error(`atalaya: ${message} Run with --help for the usage.`);
  process.exit(2);
};
const subjects = (['area', 'activity', 'site', 'bbox'] as const).filter((k) => values[k] !== undefined);
if (subjects.length !== 1) fail('Give one of --area, --activity, --site or --bbox.');
if (!values.out || !values.out.endsWith('.pmtiles')) fail('Give --out <file.pmtiles>.');
const subject = subjects[0]!;
const parsed = packageRequestSchema.safeParse({
  subject: subject === 'bbox' ? 'box' : subject,
  ...(subject === 'bbox' ? { bbox: values.bbox!.split(',').map(Number) } : { id: Number(values[subject]) }),
  ...(values.minzoom !== undefined ? { min_zoom: Number(values.minzoom) } : {}),
  ...(values.maxzoom !== undefined ? { max_zoom: Number(values.maxzoom) } : {}),
});
if (!parsed.success) fail(`${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}.`);
const request: PackageRequest = parsed.data!;
const out = values.out!;
const jsonOut = out.replace(/\.pmtiles$/, '.json');
const config = loadConfig();

const url = runningServerUrl(config, 'build the package');
if (url) {
  const auth = { authorization: `Bearer ${config.apiToken}` };
  const res = await fetch(`${url}/api/packages`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(request) });
  if (!res.ok) fail(`the server refused the package (${res.status}): ${await res.text()}`);
  let p = (await res.json()) as { id: number; status: string; message: string | null };
  while (p.status === 'building') {
    await new Promise((r) => setTimeout(r, 500));
    p = (await (await fetch(`${url}/api/packages/${p.id}`, { headers: auth })).json()) as typeof p;
  }
  if (p.status !== 'ready') fail(`the package failed: ${p.message ?? ''}`);
  fs.writeFileSync(out, Buffer.from(await (await fetch(`${url}/api/packages/${p.id}/archive.pmtiles`, { headers: auth })).arrayBuffer()));
  fs.writeFileSync(jsonOut, Buffer.from(await (await fetch(`${url}/api/packages/${p.id}/content.json`, { headers: auth })).arrayBuffer()));
  console.log(`package ${p.id} (built by the server): ${out} (${fs.statSync(out).size.toLocaleString('en')} bytes) and ${jsonOut}`);
  process.exit(0);
}

await runWithDatabase('package', async (database) => {
  await migrateToLatest(database.db);
  const rasters = new RasterStores(database.db);
  try {
    const started = Date.now();
    const built = await buildPackage(
      { db: database.db, rasters, tiles: new VectorTiles(database.db, { cacheEntries: 0 }), siteBufferM: config.siteBufferM, basemapPmtiles: config.basemap.pmtiles },
      { subject: request.subject, id: request.id, bbox: request.bbox, minZoom: request.min_zoom, maxZoom: request.max_zoom },
      out,
      (done, total) => process.stderr.write(`\r  ${done} of ${total} tiles   `),
    );
    process.stderr.write('\n');
    console.log(`${out}: ${built.tiles} tiles, ${built.bytes.toLocaleString('en')} bytes (z${request.min_zoom}-${request.max_zoom}); ${jsonOut}: ${built.jsonBytes.toLocaleString('en')} bytes; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rasters.close();
  }
});
