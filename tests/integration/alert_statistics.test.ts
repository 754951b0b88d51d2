// Stored alert series: computed for every area after a file, answered from storage, and after a
// newer file that changes one block, recomputed only for the areas that cover it; the others are
// carried forward and still equal what a fresh count of the new file gives.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alertAnswerSchema } from '../../server/api';
import { dateOfDay, today } from '../../server/alerts/alert_encoding';
import { findRasterLayer } from '../../server/db/repositories/raster_layers.repository';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { registerAlertLayer } from '../../server/services/alerts.service';
import { ingestAlerts } from '../../server/alerts/alert_ingest';
import { BlockStore } from '../../server/raster/block_store';
import { refreshAlertStatistics } from '../../server/services/alert_statistics.service';
import { RasterStores } from '../../server/services/rasters.service';
import { hasGdalPython, PYTHON } from '../helpers/gdal_reference';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

const script = fileURLToPath(new URL('../helpers/gdal_alerts.py', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-alert-stats-'));
const square = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];
const geometries = [
  { type: 'Polygon', coordinates: [square(-69.98, -10.1, -69.88, -10.01), square(-69.95, -10.07, -69.91, -10.03)] },
  { type: 'MultiPolygon', coordinates: [[square(-69.999, -10.02, -69.96, -10.005)], [[[-69.9, -10.12], [-69.86, -10.1], [-69.87, -10.06], [-69.9, -10.12]]]] },
  { type: 'Polygon', coordinates: [square(-69.87, -10.2, -69.8, -10.09)] },
];

describe.skipIf(!hasGdalPython)(`stored alert series on the ${testDatabaseKind()} database`, () => {
  const t = useTestApp({}, 120_000);

  it('recomputes only the areas that cover a changed block, and answers from storage', async () => {
    const TODAY = today();
    execFileSync(PYTHON, [script, 'make', path.join(work, 'fx'), String(TODAY)]);
    const db = t.database.db;
    const ids: number[] = [];
    for (const [i, g] of geometries.entries()) ids.push(await upsertArea(db, { kind: 'protected_area', sourceId: `A${i}`, name: `Area ${i}`, properties: {}, geojson: JSON.stringify(g) }));
    const file = path.join(work, 'fx', 'gfw', '10S_070W.tif');
    await registerAlertLayer(db, { files: [file], source: 'gfw-integrated', name: 'alerts_gfw', dataDir: work });
    const rasters = new RasterStores(db);
    let layer = (await findRasterLayer(db, 'alerts_gfw'))!;
    expect(await refreshAlertStatistics(db, rasters, layer, 5000)).toMatchObject({ recomputed: 3, carried: 0, current: 0 });
    expect(await refreshAlertStatistics(db, rasters, layer, 5000)).toMatchObject({ recomputed: 0, carried: 0, current: 3 });
    const query = `from=2024-01-01&to=${dateOfDay(TODAY)}&confidence=high,highest&period=week`;
    const stored = alertAnswerSchema.parse((await t.app.get(`/api/areas/${ids[0]}/alerts?${query}`)).body);
    const post = async (geometry: unknown) =>
      alertAnswerSchema.parse(await (await fetch(`${t.app.baseUrl}/api/analysis/alerts?period=week`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ geometry, layer: 'alerts_gfw', from: '2024-01-01', to: dateOfDay(TODAY), confidence: ['high', 'highest'] }) })).json());
    const live = await post(geometries[0]);
    const { provenance: p1, ...a } = stored;
    const { provenance: p2, ...b } = live;
    expect(a).toEqual(b);
    expect(Date.parse(p1.computed_at)).toBeLessThan(Date.parse(p2.computed_at)); // from storage, computed by the refresh
    // A newer file: one new alert in block (2, 1) of the six, which areas 1 and 2 cover and area 0 does not.
    const newer = path.join(work, 'newer', '10S_070W.tif');
    fs.mkdirSync(path.dirname(newer), { recursive: true });
    execFileSync(PYTHON, [script, 'newer', file, newer, String(TODAY)]);
    const storeDir = (await findRasterLayer(db, 'alerts_gfw'))!.properties.store as string;
    const again = await registerAlertLayer(db, { files: [newer], source: 'gfw-integrated', name: 'alerts_gfw', dataDir: work });
    expect(again.changedBlocks).toBe(1);
    // Only the changed block (and its overview parents) were encoded; the rest copied into the next generation's COG.
    const updated = new BlockStore(storeDir);
    expect(updated.meta.generation).toBe(1);
    expect(fs.readdirSync(storeDir).sort()).toEqual(['layer.1.tif', 'meta.json']);
    // Block for block, every level equals a store written whole from the new file.
    await ingestAlerts([newer], path.join(work, 'whole'), 'gfw-integrated');
    const whole = new BlockStore(path.join(work, 'whole'));
    expect(whole.meta.levels).toEqual(updated.meta.levels);
    for (const l of whole.meta.levels) for (let by = 0; by < l.rows; by++) for (let bx = 0; bx < l.cols; bx++) expect(Buffer.compare(Buffer.from(updated.block(l.level, bx, by)), Buffer.from(whole.block(l.level, bx, by)))).toBe(0);
    updated.close();
    whole.close();
    rasters.forget('alerts_gfw');
    layer = (await findRasterLayer(db, 'alerts_gfw'))!;
    expect(await refreshAlertStatistics(db, rasters, layer, 5000)).toMatchObject({ recomputed: 2, carried: 1, current: 0 });
    // The app reads layer rows at most 2 s old: after that it opens the rewritten store.
    await new Promise((r) => setTimeout(r, 2100));
    // Every area's stored answer equals a fresh count of the new file, the carried one included.
    for (const [i, id] of ids.entries()) {
      const { provenance: _s, ...fromStore } = alertAnswerSchema.parse((await t.app.get(`/api/areas/${id}/alerts?${query}`)).body);
      const { provenance: _l, ...fresh } = await post(geometries[i]);
      expect(fromStore).toEqual(fresh);
    }
  }, 120_000);

  it('leaves one COG holding only the live blocks after every update', async () => {
    const TODAY = today();
    // Two versions whose every alert differs (the same pixels, other dates): each update changes every block.
    execFileSync(PYTHON, [script, 'make', path.join(work, 'va'), String(TODAY)]);
    execFileSync(PYTHON, [script, 'make', path.join(work, 'vb'), String(TODAY - 1)]);
    const a = path.join(work, 'va', 'gfw', '10S_070W.tif');
    const b = path.join(work, 'vb', 'gfw', '10S_070W.tif');
    const generations: (number | undefined)[] = [];
    for (const file of [a, b, a, b]) {
      await registerAlertLayer(t.database.db, { files: [file], source: 'gfw-integrated', name: 'compacting', dataDir: work });
      const opened = new BlockStore(path.join(work, 'rasters', 'compacting'));
      generations.push(opened.meta.generation);
      opened.close();
    }
    expect(generations).toEqual([undefined, 1, 2, 3]);
    const dir = path.join(work, 'rasters', 'compacting');
    expect(fs.readdirSync(dir).sort()).toEqual(['layer.3.tif', 'meta.json']);
    const store = new BlockStore(dir);
    const live = store.meta.levels.reduce((s, l) => s + store.liveBytes(l.level), 0);
    // The file is its live tiles plus the TIFF's header and tile indexes: no superseded block stays.
    expect(fs.statSync(path.join(dir, 'layer.3.tif')).size - live).toBeLessThan(4096);
    store.close();
  }, 120_000);
});
