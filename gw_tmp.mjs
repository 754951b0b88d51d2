import initGeosJs from 'geos-wasm';
import { geojsonToGeosGeom, geosGeomToGeojson } from 'geos-wasm/helpers';
import fs from 'node:fs';
let t = Date.now();
const geos = await initGeosJs();
console.log('init', Date.now() - t);
for (const f of ['s10k', 's46k', 's200k']) {
  const gj = JSON.parse(fs.readFileSync(`/tmp/star/${f}.json`, 'utf8'));
  t = Date.now();
  const g = geojsonToGeosGeom(gj, geos);
  const valid = geos.GEOSisValid(g);
  const rp = geos.GEOSisValidReason(g); const reason = geos.Module.UTF8ToString(rp); geos.GEOSFree(rp);
  const t1 = Date.now() - t;
  const mv = geos.GEOSMakeValid(g);
  const t2 = Date.now() - t;
  const out = geosGeomToGeojson(mv, geos);
  console.log(f, 'valid', valid, reason.slice(0, 60), 'validity ms', t1, 'makevalid ms', t2, out.type, out.coordinates?.length ?? out.geometries?.length, 'mem MB', geos.Module.HEAPU8.length / 1e6);
}
