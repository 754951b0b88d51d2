// GeoBosques' early alerts as published (a zipped shapefile with Fecha and ubigeo, in UTM as some
// yearly files are): stored in PostGIS with their dates and districts, served as an OGC API
// Features collection filtered by date; a future date or a missing date field is refused by feature
// with nothing changed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dateOfDay, today } from '../../server/alerts/alert_encoding';
import { addVectorAlerts } from '../../server/services/vector_alerts.service';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import type { VectorAlertAnswer } from '../../server/api';
import { hasGdal } from '../helpers/shared_data';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-geobosques-'));
const feature = (i: number, fecha: string, geometry: unknown) => ({ type: 'Feature', properties: { id: i, Fecha: fecha, ubigeo: `17010${i}`, fuente: 'PNCB' }, geometry });
const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
const box = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

/** A zipped shapefile in UTM 19S (EPSG:32719) made by GDAL from the features. */
function zippedShapefile(name: string, features: unknown[]): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const src = path.join(dir, 'src.geojson');
  fs.writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features }));
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:32719', path.join(dir, `${name}.shp`), src]);
  const zip = path.join(work, `${name}.zip`);
  execFileSync('zip', ['-j', '-q', zip, ...['shp', 'shx', 'dbf', 'prj'].map((e) => path.join(dir, `${name}.${e}`))]);
  return zip;
}

describe.skipIf(!hasGdal)(`GeoBosques alerts on the ${testDatabaseKind()} database`, () => {
  const t = useTestApp({ user: 'admin', env: { ATALAYA_DATA_DIR: path.join(work, 'app') } }, 120_000);

  it('stores the alert polygons with their dates and districts, served by date as OGC API Features', async () => {
    const zip = zippedShapefile('alertas_2024', [
      feature(1, '2024-03-01', box(-69.9, -12.6, -69.899, -12.599)),
      feature(2, '2024-03-15', box(-69.8, -12.65, -69.799, -12.649)),
      feature(3, '2024-04-02', box(-69.71, -12.71, -69.7, -12.7)),
      feature(4, '2023-12-31', box(-70.1, -12.5, -70.099, -12.499)),
    ]);
    const r = await addVectorAlerts(t.database.db, zip, { name: 'geobosques' });
    expect(r).toEqual({ name: 'geobosques', alerts: 4, firstDate: '2023-12-31', lastDate: '2024-04-02' });
    const items = (await t.app.get('/ogc/collections/alerts_geobosques/items?datetime=2024-03-01/2024-03-31')).body as { numberMatched: number; features: { geometry: unknown; properties: Record<string, unknown> }[] };
    expect(items.numberMatched).toBe(2);
    const first = items.features.find((f) => f.properties.alert_date === '2024-03-01')!;
    expect(first.properties.ubigeo).toBe('170101');
    // Reprojected from UTM 19S back to longitude/latitude within a centimetre or so.
    const corner = (first.geometry as unknown as { coordinates: number[][][] }).coordinates[0]!.find((c) => Math.abs(c[0]! + 69.9) < 1e-6 && Math.abs(c[1]! + 12.6) < 1e-6);
    expect(corner).toBeDefined();
    const polygon = (await t.app.get('/ogc/collections/alerts_geobosques/items?ubigeo=170103')).body.features[0].properties as { area_ha: number };
    expect(polygon.area_ha).toBeCloseTo(0.01 * 0.01 * 111.32 * 110.6 * Math.cos((12.705 * Math.PI) / 180) * 100, -1); // ~1.2 ha
  });

  it('counts the points inside and the polygons touching an area per day, with the hectares of their parts inside (none for points)', async () => {
    // Points and polygons together: a GeoJSON file (a shapefile holds one geometry type).
    const file = path.join(work, 'semana.geojson');
    const features = [
      feature(1, '2024-05-06', box(-69.9, -12.6, -69.899, -12.599)), // inside
      feature(2, '2024-05-06', box(-69.8005, -12.6, -69.7995, -12.599)), // half inside (the area's east edge is -69.8)
      feature(3, '2024-05-08', point(-69.85, -12.55)), // inside
      feature(4, '2024-05-08', point(-69.7, -12.55)), // outside
      feature(5, '2024-06-20', point(-69.85, -12.56)), // after the range
    ];
    fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
    await addVectorAlerts(t.database.db, file, { name: 'semana' });
    const area = await upsertArea(t.database.db, { kind: 'protected_area', sourceId: 'PA', name: 'Reserva', properties: {}, geojson: JSON.stringify(box(-69.95, -12.65, -69.8, -12.5)) });
    const r = (await t.app.get(`/api/areas/${area}/vector-alerts?layer=semana&from=2024-05-01&to=2024-05-31`)).body as VectorAlertAnswer;
    const whole = (await t.app.get('/ogc/collections/alerts_semana/items?ubigeo=170101')).body.features[0].properties.area_ha as number;
    expect(r.total_alerts).toBe(3);
    expect(r.polygons).toBe(2);
    expect(r.days.map((d) => [d.date, d.alerts, d.polygons])).toEqual([['2024-05-06', 2, 2], ['2024-05-08', 1, 0]]);
    expect(r.days[0]!.ha).toBeCloseTo(whole * 1.5, 2); // one whole polygon and half of the other
    expect(r.days[1]!.ha).toBeNull(); // a point has no area: no hectares, not 0
    expect(r.provenance).toMatchObject({ layer: 'semana', source: 'geobosques', from: '2024-05-01', to: '2024-05-31' });
    expect((await t.app.get(`/api/areas/${area}/vector-alerts?layer=nope&from=2024-05-01&to=2024-05-31`)).status).toBe(404);
    expect((await t.app.get(`/api/areas/${area}/vector-alerts?layer=semana&from=2024-06-01&to=2024-05-31`)).status).toBe(400);
  });

  it('refuses a future date or a file without a date field, naming the feature, with the layer unchanged', async () => {
    const future = zippedShapefile('future', [feature(1, '2024-01-05', point(-69.9, -12.6)), feature(2, dateOfDay(today() + 3), point(-69.9, -12.61))]);
    await expect(addVectorAlerts(t.database.db, future, { name: 'geobosques' })).rejects.toThrow(/future\.zip: feature 1 is dated .*, after today .* Nothing was changed\./);
    const noDate = path.join(work, 'nodate.geojson');
    fs.writeFileSync(noDate, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { ubigeo: '170101' }, geometry: point(-69.9, -12.6) }] }));
    await expect(addVectorAlerts(t.database.db, noDate, { name: 'geobosques' })).rejects.toThrow(/no alert date field \(fecha_alerta, or Fecha/);
    expect((await t.app.get('/ogc/collections/alerts_geobosques/items')).body.numberMatched).toBe(4);
    // An admin's upload of the published file, through POST /api/alerts.
    const form = new FormData();
    form.set('source', 'geobosques');
    form.set('name', 'geobosques_week');
    form.append('file', new Blob([fs.readFileSync(path.join(work, 'alertas_2024.zip'))]), 'alertas_2024.zip');
    const up = await fetch(`${t.app.baseUrl}/api/alerts`, { method: 'POST', headers: { Authorization: `Bearer ${t.token}` }, body: form });
    expect(up.status).toBe(201);
    expect(await up.json()).toMatchObject({ name: 'geobosques_week', alerts: 4, collection: '/ogc/collections/alerts_geobosques_week' });
  });
});
