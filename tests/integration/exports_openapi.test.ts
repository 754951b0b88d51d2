// Exports read back by GDAL (CRS and counts), streaming past one batch, and the OpenAPI document
// matching the app's routes one for one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { DatabaseHandle } from '../../server/db/database';
import { createLogger } from '../../server/log';
import { openApiPath } from '../../server/openapi/document';
import { seedGridWithDraftSite } from '../helpers/grid_fixture';
import { hasGdal } from '../helpers/shared_data';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

/** Every METHOD path the Express app answers, read from its router (nested routers included). */
function appRoutes(app: ReturnType<typeof createApp>): string[] {
  const out: string[] = [];
  const walk = (stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) => {
    for (const layer of stack) {
      if (layer.route) for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack as never);
    }
  };
  walk((app as unknown as { router: { stack: never[] } }).router.stack);
  return out;
}

describe(`exports and the OpenAPI document on the ${testDatabaseKind()} database`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-export-'));
  let database: DatabaseHandle;
  let app: TestApp;
  const download = async (p: string, file: string) => {
    const r = await fetch(app.baseUrl + p);
    expect(r.status, p).toBe(200);
    fs.writeFileSync(path.join(dir, file), Buffer.from(await r.arrayBuffer()));
    return { file: path.join(dir, file), headers: r.headers };
  };

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    await seedGridWithDraftSite(database);
    app = await startTestApp(database);
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasGdal)('writes GeoPackages and zipped Shapefiles GDAL opens with the right CRS and counts', async () => {
    const gpkg = await download('/api/export?what=areas&kind=protected_area&format=gpkg', 'pa.gpkg');
    expect(gpkg.headers.get('content-disposition')).toMatch(/protected_area\.gpkg/);
    expect(gpkg.headers.get('content-type')).toBe('application/geopackage+sqlite3'); // not the octet-stream attachment() guessed from .gpkg
    const info = execFileSync('ogrinfo', ['-ro', '-so', gpkg.file, 'protected_area'], { encoding: 'utf8' });
    expect(info).toMatch(/Feature Count: 8\b/);
    expect(info).toMatch(/Multi Polygon/);
    expect(info).toMatch(/ID\["EPSG",4326\]/);
    expect(info).toMatch(/name: String/);
    const shp = await download('/api/export?what=sites&format=shp', 'sites.zip');
    const layers = execFileSync('ogrinfo', ['-ro', `/vsizip/${shp.file}`], { encoding: 'utf8' });
    expect(layers).toMatch(/sites_points \(Point\)/);
    expect(layers).toMatch(/sites_lines \(Line String\)/);
    const points = execFileSync('ogrinfo', ['-ro', '-so', `/vsizip/${shp.file}/sites_points.shp`, 'sites_points'], { encoding: 'utf8' });
    expect(points).toMatch(/Feature Count: 4\b/); // the draft activity's point is left out
    expect(points).toMatch(/ID\["EPSG",4326\]/);
    const values = execFileSync('ogrinfo', ['-ro', '-q', `/vsizip/${shp.file}/sites_lines.shp`, 'sites_lines'], { encoding: 'utf8' });
    expect(values).toMatch(/activity_c \(String\) = A-01/); // DBF names are cut to 10 characters
  });

  it('streams GeoJSON and CSV past one batch, filtered, without drafts', async () => {
    await sql`INSERT INTO area (kind, source_id, name, properties, geom, area_ha)
      SELECT 'watershed', 'w' || i, 'Cell ' || i, '{}', ST_Multi(ST_MakeEnvelope(-70 + (i % 100) * 0.01, -10 + (i / 100) * 0.01, -70 + (i % 100) * 0.01 + 0.009, -10 + (i / 100) * 0.01 + 0.009, 4326)), 8000
      FROM generate_series(0, 4499) i`.execute(database.db);
    const all = (await app.get('/api/export?what=areas&kind=watershed')).body;
    expect(all.features).toHaveLength(4500);
    expect(new Set(all.features.map((f: { id: number }) => f.id)).size).toBe(4500);
    const boxed = (await app.get('/api/export?what=areas&kind=watershed&bbox=-70,-10,-69.955,-9.955')).body;
    expect(boxed.features).toHaveLength(25); // cells 0-4 in each direction (0.01 apart, 0.009 wide) meet the box
    const csv = String((await app.get('/api/export?what=sites&format=csv')).body).trim().split('\n');
    expect(csv[0]).toMatch(/^id,.*,wkt$/);
    expect(csv).toHaveLength(1 + 5);
    expect(csv.join('\n')).not.toContain('secret');
    const one = (await app.get('/api/export?what=activities&priority_area=B')).body;
    expect(one.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['B-01']);
    expect((await app.get('/api/export?what=areas&format=xls')).status).toBe(400);
    expect((await app.get('/api/export?what=areas&kind=nothing')).status).toBe(404);
    expect((await app.get('/api/export?what=areas&activity_id=1')).status).toBe(400);
  });

  it('documents every route of the app in OpenAPI 3.1, with the contract\'s schemas', async () => {
    const doc = (await app.get('/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const probe = createApp({ config, database, log: createLogger(config) });
    const routes = appRoutes(probe).map((r) => r.replace(/ (.*)$/, (_m, p: string) => ` ${openApiPath(p)}`));
    await (probe.locals.analysis as { close(): Promise<void> }).close();
    // The docs page's script is an asset of the page, not an operation.
    expect([...new Set(routes)].filter((r) => r !== 'GET /' && r !== 'GET /api/docs/init.js' && r !== 'GET /report/print.js').sort()).toEqual([...new Set(documented)].sort());
    // Schemas come from zod: a query enum and a body's required fields are there.
    const review = doc.paths['/api/concessions/review'].get.parameters.find((p: { name: string }) => p.name === 'sort');
    expect(review.schema.enum).toContain('rate_during_pct');
    const body = doc.paths['/api/activities/{id}/indicators'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['name', 'unit', 'direction', 'kind']));
    expect(doc.paths['/api/activities/{id}/indicators'].post.security).toEqual([{ apiToken: [] }, { session: [] }]);
    const docs = await app.get('/api/docs');
    expect(docs.body).toContain('swagger-ui');
    expect((await app.get('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});
