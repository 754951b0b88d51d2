// OGC API - Features on the grid fixture, read by the API itself and by GDAL's OAPIF driver.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { seedGridWithDraftSite } from '../helpers/grid_fixture';
import { hasGdal } from '../helpers/shared_data';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

// Asynchronous: the server answering GDAL runs in this process.
const ogrinfo = async (...args: string[]) => (await promisify(execFile)('ogrinfo', args, { encoding: 'utf8' })).stdout;

describe(`OGC API - Features on the ${testDatabaseKind()} database`, () => {
  const t = useTestApp({ seed: seedGridWithDraftSite });

  it('has a landing page, conformance and a collection per area kind plus sites and activities', async () => {
    const landing = (await t.app.get('/ogc')).body;
    expect(landing.links.map((l: { rel: string }) => l.rel)).toEqual(expect.arrayContaining(['self', 'service-desc', 'conformance', 'data']));
    expect((await t.app.get('/ogc/conformance')).body.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson');
    const ids = (await t.app.get('/ogc/collections')).body.collections.map((c: { id: string }) => c.id);
    expect(ids).toEqual(['forest_concession', 'glacier_highland', 'protected_area', 'watershed', 'sites', 'field_reports', 'activities']);
    const pa = (await t.app.get('/ogc/collections/protected_area')).body;
    expect(pa.extent.spatial.bbox[0]).toEqual([-76, -12, -72, -8]);
  });

  it('pages with next links, filters by bbox, properties and datetime, and leaves drafts out', async () => {
    const first = await t.app.get('/ogc/collections/protected_area/items?limit=3');
    expect(first.headers.get('content-type')).toMatch(/application\/geo\+json/);
    expect(first.body).toMatchObject({ numberMatched: 8, numberReturned: 3 });
    const next = first.body.links.find((l: { rel: string }) => l.rel === 'next').href as string;
    const second = await t.app.get(next.replace(/^http:\/\/[^/]+/, ''));
    expect(second.body.features[0].id).toBeGreaterThan(first.body.features[2].id);
    const box = await t.app.get('/ogc/collections/protected_area/items?bbox=-76,-12,-74.5,-10.5');
    expect(box.body.features.map((f: { properties: { name: string } }) => f.properties.name).sort()).toEqual(['Square 0,0', 'Square 1,1']);
    const byName = await t.app.get(`/ogc/collections/forest_concession/items?name=${encodeURIComponent('Square 1,0')}`);
    expect(byName.body.numberMatched).toBe(1);
    expect(byName.body.features[0].properties).toMatchObject({ col: 1, row: 0, kind: 'forest_concession' });
    // Attributes filter too (col is an imported attribute).
    expect((await t.app.get('/ogc/collections/forest_concession/items?col=1')).body.numberMatched).toBe(2);
    const sites = await t.app.get('/ogc/collections/sites/items');
    expect(sites.body.numberMatched).toBe(5);
    expect(sites.body.features.some((f: { properties: { kind: string } }) => f.properties.kind === 'secret')).toBe(false);
    const acts = await t.app.get('/ogc/collections/activities/items?datetime=2019-01-01T00:00:00Z');
    expect(acts.body.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['B-01']); // A-01 ended in 2018
    expect((await t.app.get('/ogc/collections/activities/items?datetime=../2015-06-01')).body.numberMatched).toBe(1);
    expect((await t.app.get('/ogc/collections/activities/items?status=planned')).body.features[0].geometry.type).toBe('MultiPoint');
    const one = await t.app.get(`/ogc/collections/sites/items/${sites.body.features[0].id}`);
    expect(one.body.type).toBe('Feature');
    expect((await t.app.get('/ogc/collections/nothing/items')).status).toBe(404);
    expect((await t.app.get('/ogc/collections/sites/items?limit=0')).status).toBe(400);
    expect((await t.app.get('/ogc/collections/sites/items?bbox=1,2,3')).status).toBe(400);
    expect((await t.app.get('/ogc/collections/activities/items?colour=red')).status).toBe(400);
    expect((await t.app.get('/ogc/collections/activities/items?datetime=yesterday')).status).toBe(400);
    expect((await t.app.get('/ogc/collections/sites/items/999999')).status).toBe(404);
  });

  it.skipIf(!hasGdal)('is read by GDAL\'s OGC API Features driver, counting every feature through the pages', async () => {
    const list = await ogrinfo('-ro', `OAPIF:${t.app.baseUrl}/ogc`);
    for (const id of ['forest_concession', 'glacier_highland', 'protected_area', 'watershed', 'sites', 'activities']) expect(list).toContain(`: ${id} (`);
    const summary = await ogrinfo('-ro', '-so', `OAPIF:${t.app.baseUrl}/ogc`, 'forest_concession');
    expect(summary).toMatch(/Feature Count: 8\b/);
    expect(summary).toMatch(/Multi Polygon/);
    const features = await ogrinfo('-ro', '-q', '-oo', 'PAGE_SIZE=2', `OAPIF:${t.app.baseUrl}/ogc`, 'sites');
    expect(features.match(/^OGRFeature/gm)).toHaveLength(5);
  });
});
