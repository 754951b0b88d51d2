// Field reports over HTTP, as the device's sync queue sends them: stored once per UUID however often
// they are sent (also at the same time), refused with a reason when they cannot be kept (accuracy,
// unknown alert, another agency's site, a crossing outline, a photo that is not an image), photos
// cleaned of their metadata (an EXIF block with GPS and the camera's serial goes; the time and
// position are kept as columns), reviewed by another editor of the agency, and the accepted
// result carried into the alert statistics (confirmed, false and unverified pixels and hectares),
// the concession review, the exports (GeoJSON, CSV, GeoPackage read by GDAL) and the OGC
// collection, where the public sees no names. Every change is in the audit log.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { alertAnswerSchema, fieldReportSchema } from '../../server/api';
import { today } from '../../server/alerts/alert_encoding';
import { alertCountsOfAreas } from '../../server/services/alert_counts.service';
import { RasterStores } from '../../server/services/rasters.service';
import { createTestUser, type TestUser } from '../helpers/accounts';
import { addAlertLayer, addAreas, firstAlerts, GRID, pixelBox } from '../helpers/digest_fixture';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-field-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const centre = (col: number, row: number) => ({ lon: GRID.west + (col + 0.5) * GRID.pixelSize, lat: GRID.north - (row + 0.5) * GRID.pixelSize });
const alertId = (col: number, row: number, age: number) => `test_alerts:${col}:${row}:${today() - age}`;

/** A JPEG with an EXIF block holding a GPS position and a camera serial, as phones write them. */
async function photoWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 40, g: 120, b: 60 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'TestCam', Model: 'Serial-SN-998877', Artist: 'Ana Inspector' }, IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '12/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '69/1 30/1 0/1' } })
    .toBuffer();
}

describe(`field reports on the ${testDatabaseKind()} database`, () => {
  let areas: Awaited<ReturnType<typeof addAreas>>;
  let siteId = 0, indicatorId = 0, otherSiteId = 0;
  const t = useTestApp({
    env: { ATALAYA_DATA_DIR: path.join(work, 'data'), ATALAYA_FIELD_ACCURACY_M: '30' },
    seed: async (database) => {
      areas = await addAreas(database.db);
      await addAlertLayer(database.db, work, firstAlerts());
      for (const code of ['SERFOR', 'OSINFOR']) await database.db.insertInto('agency').values({ code, name: code }).onConflict((oc) => oc.doNothing()).execute();
      const activity = async (code: string, agency: string) =>
        (await database.db.insertInto('activity').values({ code, title: `Patrols ${code}`, summary: '', priority_area_code: 'B', lead_agency: agency, implementing_partners: '[]', funding_status: 'funded', start_date: null, end_date: null, status: 'ongoing', published: true, properties: '{}' }).returning('id').executeTakeFirstOrThrow()).id;
      const a = await activity('B-91', 'SERFOR');
      const b = await activity('B-92', 'OSINFOR');
      const site = async (activityId: number) => {
        const c = centre(50, 50);
        return (await database.db.insertInto('site').values({ activity_id: activityId, name: `Post ${activityId}`, kind: 'patrol_post', geom: `SRID=4326;POINT(${c.lon} ${c.lat})`, properties: '{}' } as never).returning('id').executeTakeFirstOrThrow()).id;
      };
      siteId = await site(a);
      otherSiteId = await site(b);
      indicatorId = (await database.db.insertInto('indicator').values({ activity_id: a, name: 'Patrols', unit: 'patrols', direction: 'higher_is_better', kind: 'manual', definition: '{}', target_value: 10, target_year: 2027, published: true }).returning('id').executeTakeFirstOrThrow()).id;
    },
  }, 120_000);
  let ana: TestUser, eva: TestUser, olga: TestUser;
  const call = async (user: TestUser | undefined, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const isBytes = body instanceof Buffer;
    const res = await fetch(`${t.app.baseUrl}${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(user ? { authorization: `Bearer ${user.token}` } : {}), 'content-type': isBytes ? 'image/jpeg' : 'application/json', ...headers },
      body: body === undefined ? undefined : isBytes ? new Uint8Array(body) : JSON.stringify(body),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    let parsed: unknown = bytes.toString('utf8');
    try {
      parsed = JSON.parse(parsed as string);
    } catch {
      /* not JSON */
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: parsed as any, bytes, type: res.headers.get('content-type') ?? '' };
  };
  const observed = new Date(Date.now() - 3600_000).toISOString();
  const alertReport = (over: Record<string, unknown> = {}) => ({ id: randomUUID(), kind: 'alert', alert: alertId(10, 20, 3), result: 'confirmed', cause: 'mining', notes: 'Dredge pits by the river', position: { ...centre(12, 21), accuracy_m: 6 }, observed_at: observed, ...over });

  it('refuses what cannot be kept, saying what to fix', async () => {
    ana = await createTestUser(t.database, 'editor', ['SERFOR']);
    eva = await createTestUser(t.database, 'editor', ['SERFOR']);
    olga = await createTestUser(t.database, 'editor', ['OSINFOR']);
    expect((await call(undefined, '/api/field-reports', alertReport())).status).toBe(401);
    const cases: [unknown, number, RegExp][] = [
      [alertReport({ position: { ...centre(12, 21), accuracy_m: 45 } }), 400, /accurate to 45 m; reports need 30 m or better/],
      [alertReport({ alert: 'test_alerts:5:5:100' }), 400, /no alert at pixel 5, 5/],
      [alertReport({ alert: 'nope:1:1:1' }), 404, /No alert layer .{1,2}nope/],
      [alertReport({ alert: 'test_alerts:9999:1:1' }), 400, /outside layer test_alerts/],
      [alertReport({ cause: undefined }), 400, /needs its cause/],
      [alertReport({ outline: { type: 'Polygon', coordinates: [[[-69.49, -12.51], [-69.48, -12.52], [-69.49, -12.52], [-69.48, -12.51], [-69.49, -12.51]]] } }), 400, /not a valid polygon/],
      [alertReport({ outline: { type: 'Polygon', coordinates: [[[-70, -13], [-69, -13], [-69, -12], [-70, -12], [-70, -13]]] } }), 400, /larger than one alert's surroundings/],
      [alertReport({ observed_at: '2031-01-01T00:00:00Z' }), 400, /in the future/],
      [alertReport({ id: 'not-a-uuid' }), 400, /UUID/],
      [{ id: randomUUID(), kind: 'visit', site_id: otherSiteId, position: { ...centre(50, 50), accuracy_m: 5 }, observed_at: observed }, 403, /belongs to an activity of OSINFOR/],
      [{ id: randomUUID(), kind: 'visit', site_id: siteId, position: { ...centre(50, 50), accuracy_m: 5 }, observed_at: observed, measurements: [{ indicator_id: 999_999, value: 1 }] }, 400, /not indicators of this site's activity/],
    ];
    for (const [body, status, message] of cases) {
      const r = await call(ana, '/api/field-reports', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(r.body)).toMatch(message);
    }
    expect((await call(ana, '/api/field-reports')).body.total).toBe(0);
  });

  const confirmed = alertReport({ outline: { type: 'Polygon', coordinates: [pixelBox(9, 19, 16, 22).coordinates[0]!] }, photo_count: 1 });
  const falsePositive = alertReport({ alert: alertId(19, 20, 3), result: 'false_positive', cause: undefined, notes: 'Cloud shadow' });

  it('stores a report once however often it is sent, and refuses a different report under the same UUID', async () => {
    const sends = await Promise.all([call(ana, '/api/field-reports', confirmed), call(ana, '/api/field-reports', confirmed), call(ana, '/api/field-reports', confirmed)]);
    expect(sends.map((s) => s.status).sort()).toEqual([200, 200, 201]);
    const again = await call(ana, '/api/field-reports', confirmed);
    expect(again.status).toBe(200);
    const report = fieldReportSchema.parse(again.body);
    expect(report).toMatchObject({ id: confirmed.id, kind: 'alert', agency: 'SERFOR', result: 'confirmed', cause: 'mining', review: { status: 'pending' } });
    expect(report.alert).toMatchObject({ id: alertId(10, 20, 3), layer: 'test_alerts' });
    expect(report.alert!.area_ha).toBeGreaterThan(0.07);
    // 7 x 3 pixels of 0.00025 degrees near 12.5 S: about 1.58 ha.
    expect(report.outline_ha).toBeGreaterThan(1.4);
    expect(report.outline_ha).toBeLessThan(1.7);
    expect((await call(ana, '/api/field-reports', { ...confirmed, notes: 'changed' })).status).toBe(409);
    expect((await call(eva, '/api/field-reports', confirmed)).status).toBe(409);
    const fp = await call(ana, '/api/field-reports', falsePositive);
    expect(fp.status, JSON.stringify(fp.body)).toBe(201);
    const visit = { id: randomUUID(), kind: 'visit', site_id: siteId, position: { ...centre(50, 50), accuracy_m: 4 }, observed_at: observed, observations: 'Post staffed, 3 rangers', measurements: [{ indicator_id: indicatorId, value: 4 }] };
    const sent = await call(ana, '/api/field-reports', visit);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const stored = await t.database.db.selectFrom('field_report').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(3);
  });

  let photoUrl = '';
  it('keeps photos once, cleaned: real images only, metadata stripped, time and position kept apart', async () => {
    const photoId = randomUUID();
    const original = await photoWithExif();
    expect(original.includes(Buffer.from('Serial-SN-998877'))).toBe(true);
    const q = `?taken_at=${encodeURIComponent(observed)}&lon=-69.497&lat=-12.505`;
    const url = `/api/field-reports/${confirmed.id}/photos/${photoId}${q}`;
    const [first, second] = await Promise.all([call(ana, url, original), call(ana, url, original)]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(first.body).toMatchObject({ id: photoId, content_type: 'image/jpeg', width: 1200, height: 800, lon: -69.497, lat: -12.505 });
    photoUrl = first.body.url;
    const got = await call(ana, photoUrl);
    expect(got.status).toBe(200);
    expect(got.type).toMatch(/image\/jpeg/);
    const meta = await sharp(got.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(got.bytes.includes(Buffer.from('Serial-SN-998877'))).toBe(false);
    expect(got.bytes.includes(Buffer.from('Ana Inspector'))).toBe(false);
    // Not an image, a lie about the type, someone else's report, too large.
    expect((await call(ana, `/api/field-reports/${confirmed.id}/photos/${randomUUID()}`, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).status).toBe(415);
    expect((await call(ana, `/api/field-reports/${confirmed.id}/photos/${randomUUID()}`, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100)]))).status).toBe(415);
    expect((await call(eva, `/api/field-reports/${confirmed.id}/photos/${randomUUID()}`, original)).status).toBe(404);
    expect((await call(ana, `/api/field-reports/${confirmed.id}/photos/${randomUUID()}`, Buffer.alloc(9 * 1024 * 1024, 1))).status).toBe(413);
    const photos = await t.database.db.selectFrom('field_photo').selectAll().execute();
    expect(photos).toHaveLength(1);
    expect(fs.readdirSync(path.join(work, 'data', 'field-photos', confirmed.id))).toEqual([`${photoId}.jpg`]);
    // The public does not see a pending report's photo.
    expect((await call(undefined, photoUrl)).status).toBe(404);
  });

  it('is reviewed by another editor of the agency; the alert takes the latest accepted result', async () => {
    expect((await call(ana, `/api/field-reports/${confirmed.id}/review`, { decision: 'accepted' })).status).toBe(403); // own report
    expect((await call(olga, `/api/field-reports/${confirmed.id}/review`, { decision: 'accepted' })).status).toBe(404); // another agency's pending report
    const status = async () => (await call(undefined, `/api/alerts/status?ids=${alertId(10, 20, 3)},${alertId(19, 20, 3)},${alertId(11, 20, 3)}`)).body;
    expect((await status())[alertId(10, 20, 3)]).toEqual({ status: 'unverified', reports: 1, pending: 1, report: null });
    const accepted = await call(eva, `/api/field-reports/${confirmed.id}/review`, { decision: 'accepted', note: 'Matches the imagery' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.review).toMatchObject({ status: 'accepted', note: 'Matches the imagery' });
    expect((await call(eva, `/api/field-reports/${falsePositive.id}/review`, { decision: 'accepted' })).status).toBe(200);
    const s = await status();
    expect(s[alertId(10, 20, 3)]).toMatchObject({ status: 'confirmed', reports: 1, pending: 0, report: confirmed.id });
    expect(s[alertId(19, 20, 3)]).toMatchObject({ status: 'false_positive' });
    expect(s[alertId(11, 20, 3)]).toMatchObject({ status: 'unverified', reports: 0 });
    // A later report on the same alert that a supervisor rejects does not change its status; a later accepted one does.
    const second = alertReport({ result: 'false_positive', cause: undefined });
    expect((await call(eva, '/api/field-reports', second)).status).toBe(201);
    expect((await call(ana, `/api/field-reports/${second.id}/review`, { decision: 'rejected', note: 'Wrong place' })).status).toBe(200);
    expect((await status())[alertId(10, 20, 3)]).toMatchObject({ status: 'confirmed', reports: 2 });
    // The public sees accepted reports without names; the agency sees the names.
    const pub = await call(undefined, `/api/field-reports/${confirmed.id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.author).toBeNull();
    expect(pub.body.review.by).toBeNull();
    expect((await call(eva, `/api/field-reports/${confirmed.id}`)).body.author).toMatch(/Test editor/);
    expect((await call(undefined, `/api/field-reports/${second.id}`)).status).toBe(404);
    expect((await call(undefined, photoUrl)).status).toBe(200);
    const audit = await call(eva, `/api/audit?table=field_report&id=${confirmed.id}`);
    expect(audit.body.map((e: { action: string; actor: string }) => `${e.action} ${e.actor}`)).toEqual(expect.arrayContaining([`insert ${ana.email}`, `update ${eva.email}`]));
  });

  it('counts verified alerts in the statistics: confirmed, false and unverified pixels and hectares', async () => {
    const from = new Date((today() - 30) * 86400_000 + Date.UTC(2014, 11, 31)).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
    const r = await call(ana, '/api/analysis/alerts', { geometry: pixelBox(0, 0, 100, 100), from, to, layer: 'test_alerts' });
    expect(r.status).toBe(200);
    const a = alertAnswerSchema.parse(r.body);
    // Ten alert pixels on row 20, columns 10-19: the outline covers 10-15 (six confirmed), 19 is false.
    expect(a.total_px).toBe(10);
    expect(a.verification).toMatchObject({ confirmed: { px: 6 }, false_positive: { px: 1 }, unverified: { px: 3 }, reports: 2 });
    const v = a.verification!;
    expect(v.confirmed.ha + v.false_positive.ha + v.unverified.ha).toBeCloseTo(a.total_ha, 3);
    // The stored series of the concession answer the same.
    const stored = await call(undefined, `/api/areas/${areas.concessionA}/alerts?from=${from}&to=${to}&layer=test_alerts`);
    expect(stored.body.verification).toMatchObject({ confirmed: { px: 6 }, false_positive: { px: 1 }, unverified: { px: 3 } });
    // A zone without checked alerts: everything unverified.
    const other = await call(undefined, `/api/areas/${areas.concessionB}/alerts?from=${from}&to=${to}&layer=test_alerts`);
    expect(other.body.verification.confirmed.px).toBe(0);
    expect(other.body.verification.unverified.px).toBe(other.body.total_px);
    // The concession review's alert columns carry the split and the report counts (one rejected report is neither).
    const counts = await alertCountsOfAreas(t.database.db, new RasterStores(t.database.db), [{ id: areas.concessionA, contract_start: null }, { id: areas.concessionB, contract_start: null }]);
    const row = counts!.get(areas.concessionA)!;
    expect(row).toMatchObject({ reports_accepted: 2, reports_pending: 0 });
    expect(row.last90_confirmed_ha).toBeCloseTo(v.confirmed.ha, 2);
    expect(row.last90_false_ha).toBeCloseTo(v.false_positive.ha, 2);
    expect(row.last90_unverified_ha).toBeCloseTo(v.unverified.ha, 1); // the table's total is kept to 0.01 ha
    expect(counts!.get(areas.concessionB)).toMatchObject({ reports_accepted: 0, last90_confirmed_ha: 0 });
  });

  it('exports what each reader may see (GeoJSON, CSV, GeoPackage) and serves accepted reports as an OGC collection', async () => {
    const pub = await call(undefined, '/api/field-reports/export?format=geojson');
    expect(pub.status).toBe(200);
    expect(pub.body.features.map((f: { id: string }) => f.id).sort()).toEqual([confirmed.id, falsePositive.id].sort());
    expect(pub.body.features.every((f: { properties: { author: unknown } }) => f.properties.author === null)).toBe(true);
    const mine = await call(ana, '/api/field-reports/export?format=csv');
    const lines = (mine.body as string).trim().split('\n');
    expect(lines).toHaveLength(1 + 4);
    expect(lines[0]).toMatch(/^id,kind,agency,alert_id/);
    const gpkg = await call(eva, '/api/field-reports/export?format=gpkg&status=accepted');
    const file = path.join(work, 'reports.gpkg');
    fs.writeFileSync(file, gpkg.bytes);
    let gdal = true;
    try {
      execFileSync('ogrinfo', ['--version'], { stdio: 'ignore' });
    } catch {
      gdal = false;
    }
    if (gdal) {
      const info = execFileSync('ogrinfo', ['-ro', '-al', '-q', file], { encoding: 'utf8' });
      expect(info).toContain(`id (String) = ${confirmed.id}`);
      expect(info).toMatch(/photos \(String\) = http:\/\/[^ ]+\/api\/field-reports\/[0-9a-f-]+\/photos\/[0-9a-f-]+/);
      expect(info.match(/POINT \(/g)).toHaveLength(2);
    }
    const items = await call(undefined, '/ogc/collections/field_reports/items?result=confirmed');
    expect(items.status).toBe(200);
    expect(items.body.features).toHaveLength(1);
    expect(items.body.features[0].properties).toMatchObject({ report_id: confirmed.id, cause: 'mining', agency: 'SERFOR' });
    expect(JSON.stringify(items.body)).not.toContain(ana.email);
    expect(items.body.features[0].properties.photos).toHaveLength(1);
  });
});
