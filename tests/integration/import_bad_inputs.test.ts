// A corpus of broken inputs, each answered with a clear error that says what to fix, and each leaving
// the database exactly as it was (row counts and checksums compared before and after).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { importActivityMatrix } from '../../server/import/activity_matrix';
import { importFeatureFile, type ImportTarget } from '../../server/import/feature_importer';
import { ImportError } from '../../server/import/types';
import { snapshot } from '../helpers/db_snapshot';
import { seedGrid } from '../helpers/grid_fixture';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bad-'));
const file = (name: string, content: string | Buffer) => {
  const p = path.join(work, name);
  fs.writeFileSync(p, content);
  return p;
};

async function zip(name: string, entries: Record<string, Buffer | (() => Readable)>): Promise<string> {
  const z = new yazl.ZipFile();
  for (const [entry, content] of Object.entries(entries)) {
    if (Buffer.isBuffer(content)) z.addBuffer(content, entry);
    else z.addReadStream(content(), entry);
  }
  z.end();
  const out = path.join(work, name);
  await new Promise<void>((resolve, reject) => z.outputStream.pipe(fs.createWriteStream(out)).on('close', () => resolve()).on('error', reject));
  return out;
}

/** A minimal valid shapefile (one square in UTM 19S) built in memory: .shp, .shx, .dbf and .prj. */
function shapefileParts(records = 1): Record<string, Buffer> {
  const ring = [[400000, 8600000], [401000, 8600000], [401000, 8601000], [400000, 8601000], [400000, 8600000]];
  const contentLen = 44 + 4 + 16 * ring.length; // bytes of one polygon record's content
  const shp = Buffer.alloc(100 + records * (8 + contentLen));
  const shx = Buffer.alloc(100 + records * 8);
  for (const [b, len] of [[shp, shp.length], [shx, shx.length]] as const) {
    b.writeInt32BE(9994, 0);
    b.writeInt32BE(len / 2, 24);
    b.writeInt32LE(1000, 28);
    b.writeInt32LE(5, 32);
    b.writeDoubleLE(400000, 36); b.writeDoubleLE(8600000, 44); b.writeDoubleLE(401000, 52); b.writeDoubleLE(8601000, 60);
  }
  for (let r = 0; r < records; r++) {
    const at = 100 + r * (8 + contentLen);
    shp.writeInt32BE(r + 1, at);
    shp.writeInt32BE(contentLen / 2, at + 4);
    shp.writeInt32LE(5, at + 8);
    shp.writeDoubleLE(400000, at + 12); shp.writeDoubleLE(8600000, at + 20); shp.writeDoubleLE(401000, at + 28); shp.writeDoubleLE(8601000, at + 36);
    shp.writeInt32LE(1, at + 44);
    shp.writeInt32LE(ring.length, at + 48);
    shp.writeInt32LE(0, at + 52);
    ring.forEach(([x, y], i) => { shp.writeDoubleLE(x!, at + 56 + i * 16); shp.writeDoubleLE(y!, at + 64 + i * 16); });
    shx.writeInt32BE(at / 2, 100 + r * 8);
    shx.writeInt32BE(contentLen / 2, 104 + r * 8);
  }
  const dbf = dbfWith(records);
  const prj = Buffer.from('PROJCS["WGS_1984_UTM_Zone_19S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",-69.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]');
  return { 'sq.shp': shp, 'sq.shx': shx, 'sq.dbf': dbf, 'sq.prj': prj };
}

function dbfWith(records: number): Buffer {
  const fieldLen = 10;
  const headerLen = 32 + 32 + 1;
  const recordLen = 1 + fieldLen;
  const b = Buffer.alloc(headerLen + records * recordLen + 1, 0x20);
  b.writeUInt8(3, 0);
  b.writeUInt8(126, 1); b.writeUInt8(1, 2); b.writeUInt8(1, 3);
  b.writeUInt32LE(records, 4);
  b.writeUInt16LE(headerLen, 8);
  b.writeUInt16LE(recordLen, 10);
  b.fill(0, 12, 32);
  b.fill(0, 32, 64);
  b.write('ID', 32, 'latin1');
  b.write('C', 43, 'latin1');
  b.writeUInt8(fieldLen, 48);
  b.writeUInt8(0x0d, 64);
  for (let r = 0; r < records; r++) b.write(`sq${r}`.padEnd(fieldLen), headerLen + r * recordLen + 1, 'latin1');
  b.writeUInt8(0x1a, b.length - 1);
  return b;
}

const area = (kind = 'protected_area'): ImportTarget => ({ type: 'areas', kind });
const fc = (features: unknown[], extra = '') => `{"type":"FeatureCollection",${extra}"features":${JSON.stringify(features)}}`;
const square = (x: number, y: number, d = 0.1) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
const feature = (geometry: unknown, properties: Record<string, unknown> = {}) => ({ type: 'Feature', properties, geometry });
const matrixHeader = 'code,title,priority_area,action_areas,goals,lead_agency,funding_status,start_date,end_date,status,lon,lat\n';

interface BadCase {
  name: string;
  run: () => Promise<unknown>;
  message: RegExp;
}

describe(`bad inputs on the ${testDatabaseKind()} database`, () => {
  let database: DatabaseHandle;
  const cases: BadCase[] = [];
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    await seedGrid(database); // something to lose
    const db = database.db;
    const good = shapefileParts();
    // Sanity: the hand-built shapefile imports, so the broken variants below fail for their own reason.
    const goodZip = await zip('good.zip', good);
    await importFeatureFile(db, goodZip, area(), { idField: 'ID' });

    const truncated = file('truncated.zip', fs.readFileSync(goodZip).subarray(0, 300));
    const { 'sq.prj': _prj, ...noPrj } = good;
    const mismatch = { ...good, 'sq.dbf': dbfWith(3) };
    const bomb = () => Readable.from((function* () { for (let i = 0; i < 120; i++) yield Buffer.alloc(1 << 20); })());
    const traversalZip = await zip('traversal.zip', { 'xx/sq.shp': good['sq.shp']!, 'sq.shx': good['sq.shx']!, 'sq.dbf': good['sq.dbf']!, 'sq.prj': good['sq.prj']! });
    const bytes = fs.readFileSync(traversalZip);
    for (let i = bytes.indexOf('xx/sq.shp'); i >= 0; i = bytes.indexOf('xx/sq.shp', i + 1)) bytes.write('..', i, 'latin1');
    fs.writeFileSync(traversalZip, bytes);
    const geojsonMiddleError = file('broken.geojson', fc([feature(square(-70, -12)), feature(square(-70.2, -12))]).replace('},{"type":"Feature"', '},{"type":"Feature",,'));

    cases.push(
      { name: 'truncated zip', run: () => importFeatureFile(db, truncated, area()), message: /truncated or corrupt/ },
      { name: 'zip without .prj', run: async () => importFeatureFile(db, await zip('noprj.zip', noPrj), area(), { idField: 'ID' }), message: /no sq\.prj.*--srid/ },
      { name: '.dbf and .shp disagree on the record count', run: async () => importFeatureFile(db, await zip('mismatch.zip', mismatch), area()), message: /indexes 1 shapes but sq\.dbf has 3 records/ },
      { name: 'zip without a shapefile', run: async () => importFeatureFile(db, await zip('readme.zip', { 'readme.txt': Buffer.from('hello') }), area()), message: /no \.shp file/ },
      { name: 'zip bomb', run: async () => importFeatureFile(db, await zip('bomb.zip', { ...good, 'sq.dbf': good['sq.dbf']!, 'huge.txt': bomb }), area()), message: /zip bomb/ },
      { name: 'path traversal in a zip entry', run: () => importFeatureFile(db, traversalZip, area()), message: /unsafe path|corrupt|invalid relative path/ },
      { name: 'unknown coordinate system in .prj', run: async () => importFeatureFile(db, await zip('oddprj.zip', { ...good, 'sq.prj': Buffer.from('PROJCS["Atlantis_Grid_1",GEOGCS["GCS_Atlantis"]]') }), area()), message: /Atlantis_Grid_1.*--srid/ },
      { name: 'GeoJSON with a syntax error in the middle', run: () => importFeatureFile(db, geojsonMiddleError, area()), message: /not valid JSON near byte/ },
      { name: 'projected coordinates in a GeoJSON without crs (wrong CRS)', run: () => importFeatureFile(db, file('utm.geojson', fc([feature(square(400000, 8600000, 1000))])), area()), message: /outside longitude\/latitude range.*--srid/ },
      { name: 'latitude out of range', run: () => importFeatureFile(db, file('lat95.geojson', fc([feature(square(-70, 95))])), area()), message: /outside longitude\/latitude range/ },
      { name: 'unsupported GeoJSON crs', run: () => importFeatureFile(db, file('crs.geojson', fc([feature(square(-70, -12))], '"crs":{"type":"name","properties":{"name":"urn:x-acme:crs:1"}},')), area()), message: /not an EPSG code.*--srid/ },
      { name: 'unknown EPSG code given with --srid', run: () => importFeatureFile(db, file('ok.geojson', fc([feature(square(-70, -12))])), area(), { srid: 999999 }), message: /EPSG:999999.*not a coordinate system PostGIS knows/ },
      { name: 'a geometry PostGIS cannot read', run: () => importFeatureFile(db, file('badgeom.geojson', fc([feature(square(-70, -12)), feature({ type: 'Hexagon', coordinates: [[1, 2]] })])), area()), message: /Feature 1 of badgeom has a geometry PostGIS cannot read/ },
      { name: 'a bare geometry instead of a FeatureCollection', run: () => importFeatureFile(db, file('single.geojson', JSON.stringify(square(-70, -12))), area()), message: /not a GeoJSON FeatureCollection/ },
      { name: 'empty file', run: () => importFeatureFile(db, file('empty.geojson', ''), area()), message: /is empty/ },
      { name: 'unsupported format', run: () => importFeatureFile(db, file('layer.kml', '<kml></kml>'), area()), message: /unsupported format.*GeoJSON.*GeoPackage/ },
      { name: 'corrupt GeoPackage', run: () => importFeatureFile(db, file('corrupt.gpkg', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(2000, 7)])), area()), message: /not a readable GeoPackage/ },
      { name: 'duplicate source ids', run: () => importFeatureFile(db, file('dup.geojson', fc([feature(square(-70, -12), { code: 'X' }), feature(square(-71, -12), { code: 'X' })])), area(), { idField: 'code' }), message: /Features 0 and 1 have the same source id "X"/ },
      { name: 'missing id field', run: () => importFeatureFile(db, file('noid.geojson', fc([feature(square(-70, -12), { name: 'a' })])), area(), { idField: 'codigo' }), message: /no value in the id field "codigo"/ },
      { name: 'unknown area kind', run: () => importFeatureFile(db, file('kind.geojson', fc([feature(square(-70, -12))])), area('volcano')), message: /Unknown area kind "volcano".*--create-kind/ },
      { name: 'only points where areas are expected', run: () => importFeatureFile(db, file('points.geojson', fc([feature({ type: 'Point', coordinates: [-70, -12] })])), area()), message: /no importable polygon features/ },
      { name: 'sites without an activity', run: () => importFeatureFile(db, file('sites.geojson', fc([feature({ type: 'Point', coordinates: [-70, -12] })])), { type: 'sites' }), message: /--activity <code>/ },
      { name: 'sites of an unknown activity', run: () => importFeatureFile(db, file('sites2.geojson', fc([feature({ type: 'Point', coordinates: [-70, -12] })])), { type: 'sites', activityCode: 'Z-99' }), message: /no activity with code "Z-99"/ },
      { name: 'CSV sites with a non-numeric longitude', run: () => importFeatureFile(db, file('sites.csv', 'name,lon,lat\nA,-70.1,-12\nB,west,-12\n'), { type: 'sites', activityCode: 'B-01' }), message: /Row 3: "west", "-12"/ },
      { name: 'CSV without position columns', run: () => importFeatureFile(db, file('nopos.csv', 'name,place\nA,Lima\n'), { type: 'sites', activityCode: 'B-01' }), message: /no position columns/ },
      { name: 'activity matrix with a bad date', run: () => importActivityMatrix(db, file('m1.csv', `${matrixHeader}X-1,Title,B,B2,B,SERFOR,funded,2015-02-30,,ongoing,-70,-12\n`)), message: /row 2: start_date "2015-02-30" is not a date; write it as YYYY-MM-DD/ },
      { name: 'activity matrix with an unknown priority area and action area', run: () => importActivityMatrix(db, file('m2.csv', `${matrixHeader}X-1,Title,B,B2,B,SERFOR,funded,,,ongoing,-70,-12\nX-2,Other,F,F9,B,SERFOR,funded,,,ongoing,-70,-12\n`)), message: /row 3: priority area "F" is not one of A, B, C, D, E[\s\S]*row 3: action area "F9" is not one of A1/ },
      { name: 'activity matrix ending before it starts, with an unknown status', run: () => importActivityMatrix(db, file('m3.csv', `${matrixHeader}X-1,Title,B,D4,B,SERFOR,funded,2016-01-01,2015-01-01,finished,-70,-12\n`)), message: /status "finished" is not one of planned, ongoing, completed, suspended[\s\S]*end_date 2015-01-01 is before start_date 2016-01-01/ },
    );
  }, 120_000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('has at least 15 broken inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it('answers each with a clear error and leaves the database byte for byte as it was', async () => {
    for (const c of cases) {
      if (process.env.DEBUG_BAD_INPUTS) console.log('case:', c.name);
      const before = await snapshot(database);
      const error = await c.run().then(() => undefined, (e: unknown) => e);
      expect(error, c.name).toBeInstanceOf(ImportError);
      expect((error as Error).message, c.name).toMatch(c.message);
      expect(await snapshot(database), c.name).toEqual(before);
    }
  }, 300_000);

  it('repairs a self-intersecting ring instead of refusing it, and reports which feature', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[-70, -12], [-69.9, -11.9], [-69.9, -12], [-70, -11.9], [-70, -12]]] };
    const report = await importFeatureFile(database.db, file('bowtie.geojson', fc([feature(square(-71, -12), { id: 'a' }), feature(bowtie, { id: 'b' }), feature(null, { id: 'c' })])), area(), { idField: 'id' });
    expect(report).toMatchObject({ features: 3, inserted: 2, repaired: [1], skippedNullGeometry: [2], forcedMulti: 2 });
    const stored = await database.db.selectFrom('area').select('area_ha').where('source_id', '=', 'b').executeTakeFirstOrThrow();
    expect(stored.area_ha).toBeGreaterThan(5000); // both lobes kept: two triangles of about 30 km2 each
  });
});
