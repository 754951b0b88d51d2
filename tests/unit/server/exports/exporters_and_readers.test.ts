// Each export format read back by the import reader for that format (both directions are ours, so
// each side is also checked against what the format fixes independently: byte layout of WKB, the
// shapefile's 10-character field names, GeoJSON text sequences, CSV position columns).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../server/db/schema';
import { writeGeoPackage } from '../../../../server/exports/geopackage';
import { dbfNames, writeShapefileZip } from '../../../../server/exports/shapefile';
import { openCsv } from '../../../../server/import/csv_reader';
import { openGeoJson, openGeoJsonSeq } from '../../../../server/import/geojson_reader';
import { openGeoPackage } from '../../../../server/import/geopackage_reader';
import { openShapefileDir } from '../../../../server/import/shapefile_reader';
import type { FeatureSource, RawFeature } from '../../../../server/import/types';
import { extractZip } from '../../../../server/import/zip_extract';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-formats-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readAll(source: FeatureSource): Promise<RawFeature[]> {
  const out: RawFeature[] = [];
  for await (const f of source.features) out.push(f);
  await source.close();
  return out;
}

/** ISO WKB of a 2-D point, little-endian: byte order 1, type 1, x, y. */
function pointWkb(x: number, y: number): Uint8Array {
  const b = Buffer.alloc(21);
  b.writeUInt8(1, 0);
  b.writeUInt32LE(1, 1);
  b.writeDoubleLE(x, 5);
  b.writeDoubleLE(y, 13);
  return new Uint8Array(b);
}

/** A database the readers must not need for these inputs (their CRS is named in the file). */
const noDatabase = new Proxy({}, { get: () => { throw new Error('the reader used the database'); } }) as unknown as Kysely<Database>;

describe('GeoPackage export, read by the GeoPackage reader', () => {
  it('keeps geometry (as the same WKB), attributes of each type, missing geometry, and EPSG:4326', async () => {
    const features = [
      { wkb: pointWkb(-70.5, -12.25), bbox: [-70.5, -12.25, -70.5, -12.25] as [number, number, number, number], properties: { id: 1, name: 'Tambopata', area_ha: 12.5, count: 3 } },
      { wkb: null, bbox: null, properties: { id: 2, name: 'sin geometría', area_ha: null, count: 4 } },
    ];
    const file = path.join(dir, 'areas.gpkg');
    fs.writeFileSync(file, await writeGeoPackage('areas', 'POINT', features));
    const source = await openGeoPackage(file, {});
    expect(source.layer).toBe('areas');
    expect(source.srid).toBe(4326);
    expect(source.sridSource).toBe('gpkg_spatial_ref_sys');
    const read = await readAll(source);
    expect(read).toHaveLength(2);
    expect(read[0]!.geometry).toEqual({ kind: 'wkb', hex: Buffer.from(pointWkb(-70.5, -12.25)).toString('hex') });
    expect(read[0]!.properties).toMatchObject({ name: 'Tambopata', area_ha: 12.5, count: 3 });
    expect(read[1]!.geometry).toBeNull();
    expect(read[1]!.properties).toMatchObject({ name: 'sin geometría', area_ha: null });
  });
});

describe('Shapefile export, read by the shapefile reader', () => {
  it('cuts field names to 10 unique characters', () => {
    const names = dbfNames(['concession_type', 'concession_start', 'name']);
    expect([...names.values()].every((n) => n.length <= 10)).toBe(true);
    expect(new Set(names.values()).size).toBe(3);
    expect(names.get('name')).toBe('name');
  });

  it('keeps polygons, attributes in UTF-8 and WGS 84 from its .prj', async () => {
    const ring = [[-70, -12], [-69.9, -12], [-69.9, -11.9], [-70, -11.9], [-70, -12]];
    const zip = await writeShapefileZip('concessions', [
      { type: 'Feature', properties: { name: 'Río Las Piedras', concession_type: 'castaña', area_ha: 1234.5 }, geometry: { type: 'Polygon', coordinates: [ring] } },
      { type: 'Feature', properties: { name: 'Ñaupa', concession_type: 'madera', area_ha: 10 }, geometry: { type: 'MultiPolygon', coordinates: [[ring]] } },
    ]);
    const zipFile = path.join(dir, 'concessions.zip');
    fs.writeFileSync(zipFile, zip);
    const out = fs.mkdtempSync(path.join(dir, 'shp-'));
    await extractZip(zipFile, out);
    const source = await openShapefileDir(noDatabase, out, 'concessions.zip', {});
    expect(source.srid).toBe(4326);
    const read = await readAll(source);
    expect(read.map((f) => f.properties.name)).toEqual(['Río Las Piedras', 'Ñaupa']);
    const names = dbfNames(['name', 'concession_type', 'area_ha']);
    expect(read[0]!.properties[names.get('concession_type')!]).toBe('castaña');
    expect(Number(read[0]!.properties.area_ha)).toBeCloseTo(1234.5, 6);
    const g = read[0]!.geometry!;
    expect(g.kind).toBe('geojson');
    const geometry = JSON.parse((g as { text: string }).text) as { type: string; coordinates: number[][][] | number[][][][] };
    expect(geometry.type).toMatch(/Polygon$/);
    expect(JSON.stringify(geometry.coordinates)).toContain('-69.9');
  });
});

describe('GeoJSON readers', () => {
  it('streams a FeatureCollection with ids, null geometry and properties', async () => {
    const file = path.join(dir, 'areas.geojson');
    fs.writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', id: 'a1', properties: { name: 'A' }, geometry: { type: 'Point', coordinates: [-70, -12] } },
      { type: 'Feature', properties: { name: 'B' }, geometry: null },
    ] }));
    const read = await readAll(openGeoJson(file));
    expect(read.map((f) => [f.index, f.id, f.properties.name])).toEqual([[0, 'a1', 'A'], [1, undefined, 'B']]);
    expect(JSON.parse((read[0]!.geometry as { text: string }).text)).toEqual({ type: 'Point', coordinates: [-70, -12] });
    expect(read[1]!.geometry).toBeNull();
  });

  it('reads GeoJSON text sequences (RFC 8142: a record separator before each feature) line by line', async () => {
    const file = path.join(dir, 'alerts.geojsons');
    const feature = (n: number) => `\u001e${JSON.stringify({ type: 'Feature', properties: { n }, geometry: { type: 'Point', coordinates: [-70 + n, -12] } })}\n`;
    fs.writeFileSync(file, feature(0) + feature(1) + '\n' + feature(2));
    const read = await readAll(openGeoJsonSeq(file));
    expect(read.map((f) => f.properties.n)).toEqual([0, 1, 2]);
  });
});

describe('CSV reader', () => {
  it('takes lon/lat columns (any common spelling) as points in WGS 84, and a wkt column as is', async () => {
    const lonlat = path.join(dir, 'sites.csv');
    fs.writeFileSync(lonlat, 'name,Longitude,Latitude\nPuerto Maldonado,-69.19,-12.6\n');
    const source = openCsv(lonlat, {});
    expect(source.srid).toBe(4326);
    const [site] = await readAll(source);
    expect(site!.properties.name).toBe('Puerto Maldonado');
    expect(site!.geometry).not.toBeNull();
    const text = (site!.geometry as { text: string }).text;
    expect(text).toContain('-69.19');
    expect(text).toContain('-12.6');

    const wkt = path.join(dir, 'lines.csv');
    fs.writeFileSync(wkt, 'name,wkt\nroad,"LINESTRING (-70 -12, -69 -11)"\n');
    const [line] = await readAll(openCsv(wkt, { srid: 32719 }));
    expect(line!.geometry).toEqual({ kind: 'wkt', text: 'LINESTRING (-70 -12, -69 -11)' });
  });
});
