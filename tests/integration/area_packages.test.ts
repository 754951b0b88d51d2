// Offline area packages over HTTP: refused when they cannot be built (signed out, min above max, a
// box too large, too many tiles, an unknown area), estimated, built by the job, downloaded with
// range requests and read back by the pmtiles reader through those ranges (as the browser will),
// their alerts equal to what POST /api/analysis/alerts counts for the same zone and days, and the
// tiles read by GDAL's MVT driver (an independent reader) with every alert where the JSON puts it.
// With a Protomaps basemap configured, its tiles within the box travel in the package too.
// Each user sees only their own packages; deleting one removes its files.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { FetchSource, PMTiles } from 'pmtiles';
import { afterAll, describe, expect, it } from 'vitest';
import { alertAnswerSchema, areaPackageSchema, packageEstimateSchema } from '../../server/api';
import { lonToTileX, latToTileY } from '../../server/raster/tile_math';
import { createTestUser, type TestUser } from '../helpers/accounts';
import { addAlertLayer, addAreas, BOXES, firstAlerts, pixelBox } from '../helpers/digest_fixture';
import { writePeruProtomapsFixture } from '../helpers/protomaps_fixture';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-packages-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
// A Protomaps-schema basemap (land, borders, towns) to z11 over the test grid.
const basemapFile = path.join(work, 'basemap.pmtiles');
writePeruProtomapsFixture(basemapFile, 11, [-69.6, -12.7, -69.3, -12.4]);

function hasGdal(): boolean {
  try {
    execFileSync('ogr2ogr', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe(`offline area packages on the ${testDatabaseKind()} database`, () => {
  let areas: Awaited<ReturnType<typeof addAreas>>;
  const dataDir = path.join(work, 'data');
  const t = useTestApp({
    env: { ATALAYA_DATA_DIR: dataDir, ATALAYA_BASEMAP_PMTILES: basemapFile },
    seed: async (database) => {
      areas = await addAreas(database.db);
      await addAlertLayer(database.db, work, firstAlerts());
    },
  }, 120_000);
  let ana: TestUser, bob: TestUser;
  const call = async (user: TestUser | undefined, p: string, body?: unknown) => {
    const res = await fetch(`${t.app.baseUrl}${p}`, { method: body === undefined ? 'GET' : 'POST', headers: { ...(user ? { authorization: `Bearer ${user.token}` } : {}), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: parsed as any };
  };

  it('refuses what cannot be packaged, with a message that says what to change', async () => {
    ana = await createTestUser(t.database, 'editor', ['SERFOR']);
    bob = await createTestUser(t.database, 'editor', ['OSINFOR']);
    expect((await call(undefined, '/api/packages', { subject: 'area', id: areas.concessionA })).status).toBe(401);
    const cases: [unknown, RegExp][] = [
      [{ subject: 'area', id: areas.concessionA, min_zoom: 14, max_zoom: 10 }, /min_zoom 14 is above max_zoom 10/],
      [{ subject: 'box', bbox: [-75, -14, -72, -12] }, /at most 2 degrees/],
      [{ subject: 'box', bbox: [-70, -12, -71, -13] }, /west < east/],
      [{ subject: 'box', bbox: [-71, -13, -69.2, -11.2], min_zoom: 8, max_zoom: 16 }, /tiles; a package holds at most 20,000/],
      [{ subject: 'area' }, /give id/],
      [{ subject: 'area', id: areas.concessionA, max_zoom: 17 }, /max_zoom/],
    ];
    for (const [body, message] of cases) {
      const r = await call(ana, '/api/packages', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body)).toMatch(message);
    }
    expect((await call(ana, '/api/packages', { subject: 'area', id: 999_999 })).status).toBe(404);
    expect((await call(ana, '/api/packages')).body).toEqual([]);
  });

  let ready: ReturnType<typeof areaPackageSchema.parse>;
  it('estimates, then builds the package as a job, with the tile count it estimated', async () => {
    const request = { subject: 'area', id: areas.concessionA, min_zoom: 10, max_zoom: 15 };
    const estimate = packageEstimateSchema.parse((await call(ana, '/api/packages/estimate', request)).body);
    expect(estimate.name).toBe('Concesión A');
    expect(estimate.per_zoom.map((p) => p.zoom)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(estimate.tiles).toBe(estimate.per_zoom.reduce((s, p) => s + p.tiles, 0));
    expect(estimate.bytes_estimate).toBeGreaterThan(0);
    const asked = await call(ana, '/api/packages', request);
    expect(asked.status).toBe(202);
    const p = areaPackageSchema.parse(asked.body);
    expect(p.status).toBe('building');
    let job;
    for (let i = 0; i < 600; i++) {
      job = (await call(ana, `/api/jobs/${p.job_id}`)).body;
      if (job.status === 'done' || job.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.status, job.message).toBe('done');
    ready = areaPackageSchema.parse((await call(ana, `/api/packages/${p.id}`)).body);
    expect(ready.status).toBe('ready');
    // Empty tiles are left out of the archive, so it holds at most the estimated count.
    expect(ready.tiles).toBeGreaterThan(0);
    expect(ready.tiles).toBeLessThanOrEqual(estimate.tiles);
    expect(ready.bytes).toBe(fs.statSync(path.join(dataDir, 'packages', `${p.id}.pmtiles`)).size);
    expect((await call(ana, '/api/packages')).body.map((x: { id: number }) => x.id)).toEqual([p.id]);
  }, 120_000);

  it('serves the archive with range requests, read tile by tile by the pmtiles reader', async () => {
    const url = `${t.app.baseUrl}${ready.archive_url}`;
    const head = await fetch(url, { headers: { authorization: `Bearer ${ana.token}`, range: 'bytes=0-126' } });
    expect(head.status).toBe(206);
    const bytes = Buffer.from(await head.arrayBuffer());
    expect(bytes.length).toBe(127);
    expect(bytes.subarray(0, 7).toString('latin1')).toBe('PMTiles');
    expect(bytes[7]).toBe(3);

    const archive = new PMTiles(new FetchSource(url, new Headers({ authorization: `Bearer ${ana.token}` })));
    const header = await archive.getHeader();
    expect([header.minZoom, header.maxZoom]).toEqual([10, 15]);
    expect(header.numAddressedTiles).toBe(ready.tiles);
    const metadata = (await archive.getMetadata()) as { vector_layers: { id: string }[]; attribution: string };
    expect(metadata.vector_layers.map((l) => l.id)).toEqual(expect.arrayContaining(['loss', 'alerts', 'sites', 'forest_concession']));
    // The tile over the first alert at z15 holds the alerts layer with its date and confidence.
    const content = (await call(ana, ready.json_url!)).body;
    const first = content.alerts.points[0];
    const x = Math.floor(lonToTileX(first.lon, 15));
    const y = Math.floor(latToTileY(first.lat, 15));
    const tile = await archive.getZxy(15, x, y);
    expect(tile).toBeDefined();
    const vt = new VectorTile(new Pbf(new Uint8Array(tile!.data)));
    expect(Object.keys(vt.layers)).toEqual(expect.arrayContaining(['alerts', 'forest_concession']));
    const dates = new Set(Array.from({ length: vt.layers.alerts!.length }, (_, i) => vt.layers.alerts!.feature(i).properties.date));
    expect(dates).toContain(first.date);
    // The basemap's layers where it has tiles (to z11), with its attribution and the layer named in the JSON.
    expect(metadata.vector_layers.map((l) => l.id)).toEqual(expect.arrayContaining(['earth', 'boundaries', 'places']));
    expect(metadata.attribution).toContain('Natural Earth (public domain)');
    expect(content.package.layers).toContain('basemap');
    const low = await archive.getZxy(11, Math.floor(lonToTileX(first.lon, 11)), Math.floor(latToTileY(first.lat, 11)));
    const lowTile = new VectorTile(new Pbf(new Uint8Array(low!.data)));
    expect(Object.keys(lowTile.layers)).toEqual(expect.arrayContaining(['earth', 'forest_concession']));
    expect(lowTile.layers.earth!.feature(0).properties.kind).toBe('earth');
    expect(vt.layers.earth).toBeUndefined(); // above the basemap's zooms, none
    // Another user cannot fetch it, nor see it listed.
    expect((await fetch(url, { headers: { authorization: `Bearer ${bob.token}` } })).status).toBe(404);
    expect((await call(bob, '/api/packages')).body).toEqual([]);
  });

  it("holds the area's alerts as POST /api/analysis/alerts counts them, and its forms", async () => {
    const content = (await call(ana, ready.json_url!)).body;
    expect(content.format).toBe('atalaya-area-package');
    expect(content.package).toMatchObject({ subject: 'area', subject_id: areas.concessionA, min_zoom: 10, max_zoom: 15, tiles: ready.tiles });
    const answer = alertAnswerSchema.parse((await call(undefined, '/api/analysis/alerts', { geometry: pixelBox(...BOXES.concessionA), layer: 'test_alerts', from: content.alerts.from, to: content.alerts.to })).body);
    expect(content.alerts.points.length).toBe(answer.total_px);
    expect(content.alerts.points.length).toBe(10);
    expect(new Set(content.alerts.points.map((p: { id: string }) => p.id)).size).toBe(10);
    const ha = content.alerts.points.reduce((s: number, p: { area_ha: number }) => s + p.area_ha, 0);
    expect(ha).toBeCloseTo(answer.total_ha, 3);
    expect(content.areas.items.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['Concesión A']));
    expect(Object.keys(content.forms.alert_verification.cause.options)).toEqual(['mining', 'agriculture', 'logging', 'road', 'fire', 'natural', 'other']);
    expect(content.forms.site_visit.title.es).toBe('Visita al sitio');
  });

  it.skipIf(!hasGdal())('reads in GDAL with every alert inside an alerts feature of its date', async () => {
    const archive = new PMTiles(new FetchSource(`${t.app.baseUrl}${ready.archive_url}`, new Headers({ authorization: `Bearer ${ana.token}` })));
    const content = (await call(ana, ready.json_url!)).body;
    // GDAL 3.6 has no PMTiles driver; its MVT driver reads z/x/y.pbf tiles, georeferenced by their path.
    const dir = path.join(work, 'mvt');
    const tiles = new Set<string>();
    for (const p of content.alerts.points) tiles.add(`${Math.floor(lonToTileX(p.lon, 15))}/${Math.floor(latToTileY(p.lat, 15))}`);
    const features: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>[] = [];
    for (const xy of tiles) {
      const [x, y] = xy.split('/').map(Number) as [number, number];
      const tile = await archive.getZxy(15, x, y);
      const file = path.join(dir, '15', String(x), `${y}.pbf`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const data = Buffer.from(tile!.data);
      fs.writeFileSync(file, data[0] === 0x1f ? gunzipSync(data) : data);
      const read = JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:4326', '/vsistdout/', file, 'alerts'], { encoding: 'utf8' })) as GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
      features.push(...read.features);
    }
    expect(features.length).toBeGreaterThan(0);
    const inside = (pt: [number, number], ring: GeoJSON.Position[]) => {
      let c = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as [number, number];
        const [xj, yj] = ring[j] as [number, number];
        if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) c = !c;
      }
      return c;
    };
    const polygonsOf = (g: GeoJSON.Polygon | GeoJSON.MultiPolygon) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
    for (const p of content.alerts.points) {
      const hit = features.find((f) => f.properties!.date === p.date && polygonsOf(f.geometry).some((poly) => inside([p.lon, p.lat], poly[0]!)));
      expect(hit, `alert ${p.id} at ${p.lon}, ${p.lat}`).toBeDefined();
      expect(hit!.properties!.confidence).toBe(p.confidence);
    }
  });

  it('deletes a package and its files; a deleted one is gone', async () => {
    expect((await call(bob, `/api/packages/${ready.id}/delete`, {})).status).toBe(404);
    expect((await call(ana, `/api/packages/${ready.id}/delete`, {})).status).toBe(204);
    expect(fs.existsSync(path.join(dataDir, 'packages', `${ready.id}.pmtiles`))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'packages', `${ready.id}.json`))).toBe(false);
    expect((await call(ana, `/api/packages/${ready.id}`)).status).toBe(404);
    expect((await call(ana, ready.archive_url!)).status).toBe(404);
  });
});
