// Alerts from each source's published encoding (GFW integrated, GLAD-L, RADD), normalised into one
// 16-bit store: counts per day and confidence equal to GDAL (rasterize + numpy decoding the values
// as each publisher documents) on polygons with holes and multiparts, over date and confidence
// edges; bad files refused by name with nothing changed; tiles that never show an alert outside
// the filter at any zoom; the HTTP contract.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { ALERT_COLORS, alertAnswerSchema } from '../../server/api';
import { dateOfDay, dayOf, today } from '../../server/alerts/alert_encoding';
import { alertsOfGeometry } from '../../server/alerts/alert_zonal';
import { renderAlertTile, alertLevel } from '../../server/alerts/alert_tile';
import { BlockStore } from '../../server/raster/block_store';
import { latToTileY, lonToTileX } from '../../server/raster/tile_math';
import { registerAlertLayer } from '../../server/services/alerts.service';
import { findRasterLayer } from '../../server/db/repositories/raster_layers.repository';
import { hasGdalPython, PYTHON } from '../helpers/gdal_reference';
import { hasOgrinfo } from '../helpers/shared_data';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

const script = fileURLToPath(new URL('../helpers/gdal_alerts.py', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-alerts-'));
const fixtures = path.join(work, 'fixtures');
const TODAY = today();

// Inside the 600 x 500 fixture corner of tile 10S_070W (-70..-69.85, -10.125..-10).
const square = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];
const geometries = [
  { type: 'Polygon', coordinates: [square(-69.98, -10.1, -69.88, -10.01), square(-69.95, -10.07, -69.91, -10.03)] }, // a hole
  { type: 'MultiPolygon', coordinates: [[square(-69.999, -10.02, -69.96, -10.005)], [[[-69.9, -10.12], [-69.86, -10.1], [-69.87, -10.06], [-69.9, -10.12]]]] },
  { type: 'Polygon', coordinates: [square(-69.87, -10.2, -69.8, -10.09)] }, // partly outside the layer
];

function gdalCounts(source: string, from: number, to: number, mask: number): { pixels: number; days: Record<string, [number, number, number]> }[] {
  const features = path.join(work, 'features.geojson');
  fs.writeFileSync(features, JSON.stringify({ type: 'FeatureCollection', features: geometries.map((g, i) => ({ type: 'Feature', properties: { i }, geometry: g })) }));
  return JSON.parse(execFileSync(PYTHON, [script, 'count', fixtures, source, features, String(from), String(to), String(mask)], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

const ours = (store: BlockStore, from: number, to: number, mask: number) =>
  geometries.map((g) => {
    const z = alertsOfGeometry(g, store, { fromDay: from, toDay: to, confidenceMask: mask });
    return { pixels: z.coveredPixels, days: Object.fromEntries([...z.days].map(([d, c]) => [String(d), [c.px[1], c.px[2], c.px[3]]])) };
  });

describe.skipIf(!hasGdalPython)(`alerts on the ${testDatabaseKind()} database`, () => {
  const t = useTestApp({ user: 'admin', env: { ATALAYA_DATA_DIR: path.join(work, 'app') } }, 120_000);
  const stores: Record<string, BlockStore> = {};
  const files = {
    gfw: [path.join(fixtures, 'gfw', '10S_070W.tif')],
    glad: [path.join(fixtures, 'glad', 'alert24_10S_070W.tif'), path.join(fixtures, 'glad', 'alertDate24_10S_070W.tif')],
    radd: [path.join(fixtures, 'radd', '10S_070W.tif')],
  };
  const sourceOf = { gfw: 'gfw-integrated', glad: 'glad-l', radd: 'radd' } as const;

  it('ingests each source into the normalised store and counts per day and confidence as GDAL does', async () => {
    execFileSync(PYTHON, [script, 'make', fixtures, String(TODAY)]);
    for (const key of ['gfw', 'glad', 'radd'] as const) {
      const layer = await registerAlertLayer(t.database.db, { files: files[key], source: sourceOf[key], name: `alerts_${key}`, dataDir: work });
      expect(layer.alertPixels).toBeGreaterThan(1000);
      stores[key] = new BlockStore((await findRasterLayer(t.database.db, `alerts_${key}`))!.properties.store as string);
      // Whole range, one confidence, and ranges whose first and last days are the edges in the fixture.
      const ranges: [number, number, number][] = [
        [1, TODAY, 0b1110],
        [1, TODAY, 0b0100],
        [dayOf('2023-12-31'), dayOf('2024-01-01'), 0b1110],
        [dayOf('2024-02-29'), dayOf('2024-02-29'), 0b1110],
        [1, 1, 0b1110],
        [TODAY, TODAY, 0b1010],
      ];
      for (const [from, to, mask] of ranges) expect({ key, from, to, mask, counts: ours(stores[key], from, to, mask) }).toEqual({ key, from, to, mask, counts: gdalCounts(key, from, to, mask) });
    }
    // The same alert pixels, whatever the source's encoding: GFW's day 2024-01-01 is RADD's 24001.
    const jan1 = dayOf('2024-01-01');
    expect(ours(stores.radd!, jan1, jan1, 0b1110)).toEqual(gdalCounts('gfw', jan1, jan1, 0b1110).map((g) => ({ ...g, days: Object.fromEntries(Object.entries(g.days).map(([d, [l, h, x]]) => [d, [l, h + x, 0]])) })));
  }, 120_000);

  it('refuses a bad file by name, with nothing changed', async () => {
    const before = await findRasterLayer(t.database.db, 'alerts_gfw');
    const storeMeta = fs.readFileSync(path.join(before!.properties.store as string, 'meta.json'), 'utf8');
    const bad = path.join(work, 'bad');
    fs.mkdirSync(bad, { recursive: true });
    const write = (name: string, code: string) => {
      execFileSync(PYTHON, ['-c', `
from osgeo import gdal, osr
import numpy as np
gdal.UseExceptions()
${code}
srs = osr.SpatialReference(); srs.ImportFromEPSG(4326); ds.SetProjection(srs.ExportToWkt()); ds = None`]);
      return path.join(bad, name);
    };
    const gfwFile = (name: string, west: number, value: number) =>
      write(name, `ds = gdal.GetDriverByName('GTiff').Create('${path.join(bad, name)}', 64, 64, 1, gdal.GDT_UInt16)
ds.SetGeoTransform((${west}, 0.00025, 0, -10, 0, -0.00025))
a = np.zeros((64, 64), dtype=np.uint16); a[5, 7] = ${value}; ds.GetRasterBand(1).WriteArray(a)`);
    const cases: [string[], 'gfw-integrated' | 'glad-l' | 'radd', RegExp][] = [
      [[gfwFile('10S_070W.tif', -70, 15000)], 'gfw-integrated', /10S_070W\.tif: pixel \(column 7, row 5\) has value 15000 is not a GFW integrated alert/],
      [[gfwFile('future_10S_070W.tif', -70, 30000 + TODAY + 5)], 'gfw-integrated', new RegExp(`future_10S_070W\\.tif: .* is dated ${dateOfDay(TODAY + 5)}, after today`)],
      [[gfwFile('offgrid.tif', -69.5, 30000 + 100)], 'gfw-integrated', /offgrid\.tif is off the 10-degree tile grid/],
      [[write('wide_10S_070W.tif', `ds = gdal.GetDriverByName('GTiff').Create('${path.join(bad, 'wide_10S_070W.tif')}', 40000, 2, 1, gdal.GDT_UInt16, ['COMPRESS=DEFLATE', 'TILED=YES', 'SPARSE_OK=TRUE'])
ds.SetGeoTransform((-70, 0.0005, 0, -10, 0, -0.0005))`)], 'gfw-integrated', /wide_10S_070W\.tif spans 20\.00 degrees; an alert tile spans at most 10/],
      [[files.glad[0]!, files.glad[1]!], 'gfw-integrated', /alert24_10S_070W\.tif has 1 band\(s\) of 8-bit unsigned values; --source gfw-integrated expects one band of uint16/],
      [files.gfw, 'radd', /10S_070W\.tif has 1 band\(s\) of 16-bit unsigned values; --source radd expects two bands/],
      [[gfwFile('10S_070W_x.tif', -70, 30000 + 100)], 'glad-l', /GLAD-L comes as pairs/],
    ];
    for (const [f, source, message] of cases) {
      await expect(registerAlertLayer(t.database.db, { files: f, source, name: 'alerts_gfw', dataDir: work })).rejects.toThrow(message);
      await expect(registerAlertLayer(t.database.db, { files: f, source, name: 'alerts_gfw', dataDir: work })).rejects.toThrow(/Nothing was changed\./);
    }
    expect(await findRasterLayer(t.database.db, 'alerts_gfw')).toEqual(before);
    expect(fs.readFileSync(path.join(before!.properties.store as string, 'meta.json'), 'utf8')).toBe(storeMeta);
    expect(fs.readdirSync(path.join(work, 'rasters')).filter((d) => d.includes('.tmp-'))).toEqual([]);
  });

  it('never draws an alert outside the date and confidence filter, at any zoom', () => {
    const store = stores.gfw!;
    const lv0 = store.meta.levels[0]!;
    const filter = { fromDay: dayOf('2024-01-01'), toDay: dayOf('2024-03-31'), confidenceMask: 0b0100 };
    const matches = (v: number) => v !== 0 && v >> 2 >= filter.fromDay && v >> 2 <= filter.toDay && (filter.confidenceMask & (1 << (v & 3))) !== 0;
    let shown = 0;
    for (let z = 6; z <= 18; z++) {
      const x = Math.floor(lonToTileX(-69.93, z));
      const y = Math.floor(latToTileY(-10.06, z));
      const tile = renderAlertTile(store, z, x, y, filter)!;
      const level = alertLevel(store, z);
      const scale = 2 ** level;
      for (let j = 0; j < 256; j++) {
        for (let i = 0; i < 256; i++) {
          if (tile.indices[j * 256 + i] === 0) continue;
          shown++;
          // The level pixel this tile pixel shows, and its footprint at full resolution: some alert there matches.
          const lon = ((x + (i + 0.5) / 256) / 2 ** z) * 360 - 180;
          const lat = (180 / Math.PI) * Math.atan(Math.sinh(Math.PI - (2 * Math.PI * (y + (j + 0.5) / 256)) / 2 ** z));
          const col = Math.floor((lon - store.meta.west) / (store.meta.pixelSize * scale)) * scale;
          const row = Math.floor((store.meta.north - lat) / (store.meta.pixelSize * scale)) * scale;
          let found = false;
          for (let r = row; r < Math.min(lv0.height, row + scale) && !found; r++) {
            for (let c = col; c < Math.min(lv0.width, col + scale) && !found; c++) found = matches(store.block16(0, c >> 8, r >> 8)[(r & 255) * 256 + (c & 255)]!);
          }
          expect({ z, i, j, found }).toEqual({ z, i, j, found: true });
        }
      }
    }
    expect(shown).toBeGreaterThan(100);
  });

  it('answers the stable contract: POST /api/analysis/alerts by day and ISO week, tiles, and admin uploads', async () => {
    const post = (body: unknown, query = '') => fetch(`${t.app.baseUrl}/api/analysis/alerts${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const body = { geometry: geometries[0], layer: 'alerts_gfw', from: '2024-01-01', to: dateOfDay(TODAY), confidence: ['high', 'highest'] };
    const res = await post(body);
    expect(res.status).toBe(200);
    const a = alertAnswerSchema.parse(await res.json());
    const ref = gdalCounts('gfw', dayOf('2024-01-01'), TODAY, 0b1100)[0]!;
    const refDays = Object.values(ref.days);
    expect(a.total_px).toBe(refDays.reduce((s, [l, h, x]) => s + l + h + x, 0));
    expect(a.by_confidence.low.px).toBe(0);
    expect(a.days.length).toBe(Object.keys(ref.days).length);
    expect(a.covered_fraction).toBe(1);
    expect(Math.abs(a.total_ha / (a.total_px * 0.07574) - 1)).toBeLessThan(0.002); // 27.4 x 27.6 m pixels near 10 degrees south
    expect(a.provenance).toMatchObject({ layer: { name: 'alerts_gfw', source: 'gfw-integrated', synthetic: false, licence: 'CC BY 4.0' }, from: '2024-01-01', confidence: ['high', 'highest'], period: 'day' });
    const weeks = alertAnswerSchema.parse(await (await post(body, '?period=week')).json());
    expect(weeks.total_px).toBe(a.total_px);
    expect(weeks.days.every((w) => new Date(`${w.date}T00:00:00Z`).getUTCDay() === 1 && /^\d{4}-W\d{2}$/.test(w.period))).toBe(true);
    expect(weeks.days.find((w) => w.date === '2024-01-01')?.period).toBe('2024-W01');
    const partly = alertAnswerSchema.parse(await (await post({ ...body, geometry: geometries[2] })).json());
    expect(partly.covered_fraction).toBeCloseTo((0.02 / 0.07) * (0.035 / 0.11), 3); // the layer's corner of the square
    // Bad requests name what to fix.
    expect(await (await post({ ...body, from: '2024-02-30' })).text()).toMatch(/real calendar date/);
    expect(await (await post({ ...body, from: '2024-05-01', to: '2024-04-01' })).text()).toMatch(/after to/);
    expect(await (await post({ ...body, layer: 'nope' })).text()).toMatch(/No alert layer \\"nope\\"/);
    expect((await post({ ...body, geometry: { type: 'Polygon', coordinates: [square(-75, -15, -65, -5)] } })).status).toBe(200); // sparse: a 10-degree square reads only blocks with alerts
    // Tiles: PNG inside, 204 where nothing matches, 404 outside the layer.
    const z = 14, x = Math.floor(lonToTileX(-69.93, z)), y = Math.floor(latToTileY(-10.06, z));
    const tile = await fetch(`${t.app.baseUrl}/tiles/alerts/alerts_gfw/${z}/${x}/${y}.png?from=2024-01-01&to=${dateOfDay(TODAY)}&confidence=highest`);
    expect(tile.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await tile.arrayBuffer()));
    let highest = 0;
    const [r, g, b] = [1, 3, 5].map((k) => parseInt(ALERT_COLORS[2].slice(k, k + 2), 16));
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i + 3] === 255) highest += png.data[i] === r && png.data[i + 1] === g && png.data[i + 2] === b ? 1 : -1000; // only 'highest'
    expect(highest).toBeGreaterThan(0);
    expect((await fetch(`${t.app.baseUrl}/tiles/alerts/alerts_gfw/${z}/${x}/${y}.png?from=2015-01-02&to=2015-01-03`)).status).toBe(204);
    expect((await fetch(`${t.app.baseUrl}/tiles/alerts/alerts_gfw/${z}/0/0.png`)).status).toBe(404);
    expect((await fetch(`${t.app.baseUrl}/tiles/rasters/alerts_gfw/${z}/${x}/${y}.png`)).status).toBe(400);
    // An admin uploads a newer file for the tile: the layer is replaced, and says how many blocks changed.
    const form = new FormData();
    form.set('source', 'radd');
    form.set('name', 'alerts_radd');
    form.append('file', new Blob([fs.readFileSync(files.radd[0]!)]), '10S_070W.tif');
    const up = await fetch(`${t.app.baseUrl}/api/alerts`, { method: 'POST', headers: { Authorization: `Bearer ${t.token}` }, body: form });
    expect(up.status).toBe(201);
    expect(await up.json()).toMatchObject({ name: 'alerts_radd', changed_blocks: 0, total_blocks: 6 }); // the same file: nothing changed
    const newer = path.join(work, 'newer', '10S_070W.tif');
    fs.mkdirSync(path.dirname(newer), { recursive: true });
    execFileSync(PYTHON, ['-c', `from osgeo import gdal
gdal.UseExceptions()
ds = gdal.GetDriverByName('GTiff').CreateCopy('${newer}', gdal.Open('${files.radd[0]}'))
a = ds.GetRasterBand(1).ReadAsArray(); d = ds.GetRasterBand(2).ReadAsArray()
a[300, 300] = 3; d[300, 300] = 24001
ds.GetRasterBand(1).WriteArray(a); ds.GetRasterBand(2).WriteArray(d); ds = None`]);
    form.delete('file');
    form.append('file', new Blob([fs.readFileSync(newer)]), '10S_070W.tif');
    const again = await fetch(`${t.app.baseUrl}/api/alerts`, { method: 'POST', headers: { Authorization: `Bearer ${t.token}` }, body: form });
    expect(await again.json()).toMatchObject({ changed_blocks: 1, total_blocks: 6 }); // one new alert: one block of six
    expect((await fetch(`${t.app.baseUrl}/api/alerts`, { method: 'POST', body: form })).status).toBe(401);
    // Exports: an area's alert pixels as points, in GeoJSON, CSV and a GeoPackage GDAL reads, as many as GDAL counts.
    const areaId = await upsertArea(t.database.db, { kind: 'protected_area', sourceId: 'ALERT-1', name: 'With a hole', properties: {}, geojson: JSON.stringify(geometries[0]) });
    const span = `from=2024-01-01&to=${dateOfDay(TODAY)}&confidence=high,highest&layer=alerts_gfw`;
    const exported = (await t.app.get(`/api/alerts/export?subject=area&id=${areaId}&${span}`)).body as { features: { geometry: { coordinates: [number, number] }; properties: { date: string; confidence: string } }[] };
    expect(exported.features.length).toBe(a.total_px);
    expect(exported.features.every((f) => f.properties.confidence !== 'low' && f.properties.date >= '2024-01-01')).toBe(true);
    const csv = await (await fetch(`${t.app.baseUrl}/api/alerts/export?subject=area&id=${areaId}&${span}&format=csv`)).text();
    expect(csv.trim().split('\n')).toHaveLength(a.total_px + 1);
    const gpkg = path.join(work, 'alerts.gpkg');
    fs.writeFileSync(gpkg, Buffer.from(await (await fetch(`${t.app.baseUrl}/api/alerts/export?subject=area&id=${areaId}&${span}&format=gpkg`)).arrayBuffer()));
    if (hasOgrinfo) expect(execFileSync('ogrinfo', ['-so', '-al', gpkg], { encoding: 'utf8' })).toContain(`Feature Count: ${a.total_px}`);
    expect((await t.app.get(`/api/alerts/export?subject=area&id=${areaId}&from=2015-01-01&to=${dateOfDay(TODAY)}&layer=alerts_gfw&format=xlsx`)).status).toBe(400);
    const layers = (await t.app.get('/api/alerts/layers')).body as { name: string; last_date: string }[];
    expect(layers.map((l) => l.name)).toEqual(['alerts_gfw', 'alerts_glad', 'alerts_radd']);
    expect(layers[0]!.last_date).toBe(dateOfDay(TODAY));
  });
});
