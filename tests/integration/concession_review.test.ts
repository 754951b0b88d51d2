// The concession review end to end on a generated raster with planted outliers: two concessions in
// each group lose much more forest after their contract starts; the flags find them and only them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { Random } from '../../server/util/random';
import { createLogger } from '../../server/log';
import { loadConfig } from '../../server/config';
import { createAnalysisContext, refreshEverything } from '../../server/services/analysis_context';
import { registerRasterLayer } from '../../server/services/raster_layers.service';
import { createTestUser } from '../helpers/accounts';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const P = 1 / 1200;
const grid = { west: -71, north: -11, pixelSize: P, width: 1440, height: 960 };
let TOKEN = ''; // an OSINFOR editor's API token, made in beforeAll
let SERFOR = ''; // a SERFOR editor's
let OTHER = ''; // an editor of an agency that does not supervise concessions
const emails: Record<string, string> = {};
const planted = new Set(['T-03', 'T-09', 'B-02', 'B-07']);

describe(`concession review on the ${testDatabaseKind()} database`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-review-'));
  let database: DatabaseHandle;
  let app: TestApp;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    // 24 concessions of 60 x 60 pixels on a 6 x 4 grid: timber in the top two rows, Brazil nut below.
    const squares: { code: string; x: number; y: number; start: number }[] = [];
    for (let i = 0; i < 24; i++) {
      const group = i < 12 ? 'T' : 'B';
      squares.push({ code: `${group}-${String((i % 12) + 1).padStart(2, '0')}`, x: 60 + (i % 6) * 220, y: 60 + Math.floor(i / 6) * 220, start: 2008 + (i % 5) });
    }
    const rng = new Random(9);
    const loss = new Uint8Array(grid.width * grid.height);
    const cover = new Uint8Array(grid.width * grid.height).fill(90);
    for (let i = 0; i < loss.length; i++) if (rng.next() < 0.015) loss[i] = 1 + Math.floor(rng.next() * 23);
    for (const sq of squares) {
      if (!planted.has(sq.code)) continue;
      for (let y = sq.y; y < sq.y + 60; y++) for (let x = sq.x; x < sq.x + 60; x++) if (rng.next() < 0.35) loss[y * grid.width + x] = sq.start - 2000 + Math.floor(rng.next() * (2024 - sq.start));
    }
    fs.writeFileSync(path.join(dir, 'loss.tif'), await encodeUint8GeoTiff(grid, loss, 'loss'));
    fs.writeFileSync(path.join(dir, 'cover.tif'), await encodeUint8GeoTiff(grid, cover, 'cover'));
    await registerRasterLayer(database.db, { files: [path.join(dir, 'cover.tif')], kind: 'treecover', name: 'cover', dataDir: dir });
    await registerRasterLayer(database.db, { files: [path.join(dir, 'loss.tif')], kind: 'lossyear', name: 'loss', treecover: 'cover', dataDir: dir });
    // A second loss layer of another origin over the west half only, years 2018-2022, no tree cover
    // partner: registered after the first, so the first stays the default.
    const half = { ...grid, width: grid.width / 2 };
    const mining = new Uint8Array(half.width * half.height);
    for (let y = 0; y < half.height; y++) for (let x = 0; x < half.width; x++) if ((x * 7 + y * 3) % 50 === 0) mining[y * half.width + x] = 18 + ((x + y) % 5);
    fs.writeFileSync(path.join(dir, 'mining.tif'), await encodeUint8GeoTiff(half, mining, 'mining'));
    await registerRasterLayer(database.db, { files: [path.join(dir, 'mining.tif')], kind: 'lossyear', name: 'mining', version: 'm-1', dataDir: dir, about: { source: 'Test mining footprints', licence: 'CC BY 4.0', methodNote: 'none' } });
    for (const sq of squares) {
      const w = grid.west + sq.x * P;
      const n = grid.north - sq.y * P;
      const s = 60 * P;
      const id = await upsertArea(database.db, {
        kind: 'forest_concession', sourceId: sq.code, name: `Concession ${sq.code}`,
        properties: { concession_type: sq.code.startsWith('T') ? 'timber' : 'brazil_nut', region: 'Madre de Dios', contract_start: `${sq.start}-03-15`, status: 'active', holder: `Holder ${sq.code}` },
        geojson: JSON.stringify({ type: 'Polygon', coordinates: [[[w, n - s], [w + s, n - s], [w + s, n], [w, n], [w, n - s]]] }),
      });
      ids.set(sq.code, id);
    }
    // Two in Ucayali: one west of the raster (the layer says nothing there), one half inside it.
    for (const [code, w] of [['U-01', -73], ['U-02', grid.west - 30 * P]] as const) {
      const n = -11.3;
      const s = 60 * P;
      ids.set(code, await upsertArea(database.db, {
        kind: 'forest_concession', sourceId: code, name: `Concession ${code}`,
        properties: { concession_type: 'reforestation', region: 'Ucayali', contract_start: '2010-01-01', status: 'active', holder: `Holder ${code}` },
        geojson: JSON.stringify({ type: 'Polygon', coordinates: [[[w, n - s], [w + s, n - s], [w + s, n], [w, n], [w, n - s]]] }),
      }));
    }
    const ctx = createAnalysisContext(database.db, createLogger(loadConfig({ LOG_LEVEL: 'silent' })));
    await ctx.jobs.start();
    await refreshEverything(database.db, ctx);
    await ctx.jobs.idle();
    await ctx.close();
    const osinfor = await createTestUser(database, 'editor', ['OSINFOR']);
    const serfor = await createTestUser(database, 'editor', ['SERFOR']);
    TOKEN = osinfor.token;
    SERFOR = serfor.token;
    OTHER = (await createTestUser(database, 'editor', ['MINAM'])).token;
    emails.osinfor = osinfor.email;
    emails.serfor = serfor.email;
    app = await startTestApp(database, { ATALAYA_DATA_DIR: dir });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('flags the planted outliers and only them, with the reason in words', async () => {
    const r = await app.get('/api/concessions/review?flagged=true&limit=100');
    expect(r.status).toBe(200);
    expect(new Set(r.body.items.map((i: { name: string }) => i.name.replace('Concession ', '')))).toEqual(planted);
    for (const item of r.body.items) {
      expect(item.reason_en).toMatch(/above the (timber|brazil_nut) concessions of Madre de Dios/);
      expect(item.rate_during_pct).toBeGreaterThan(item.rate_before_pct);
      expect(item.rank).toBeLessThanOrEqual(2);
      expect(item.ring_rate_during_pct).not.toBeNull(); // the 5 km ring was computed too
    }
    // A stricter k flags fewer (or the same).
    const strict = await app.get('/api/concessions/review?flagged=true&k=15');
    expect(strict.body.total).toBeLessThanOrEqual(4);
  });

  it('sorts, filters and pages on the server, and exports exactly the filtered rows', async () => {
    const all = await app.get('/api/concessions/review?limit=1000');
    expect(all.body.total).toBe(26); // 24 in Madre de Dios, 2 in Ucayali
    const page = await app.get('/api/concessions/review?type=timber&sort=total_loss_ha&order=desc&limit=5&offset=5');
    expect(page.body.total).toBe(12);
    expect(page.body.items).toHaveLength(5);
    const full = await app.get('/api/concessions/review?type=timber&sort=total_loss_ha&order=desc&limit=12');
    expect(page.body.items.map((i: { id: number }) => i.id)).toEqual(full.body.items.slice(5, 10).map((i: { id: number }) => i.id));
    const losses = full.body.items.map((i: { total_loss_ha: number }) => i.total_loss_ha);
    expect(losses).toEqual([...losses].sort((a, b) => b - a));
    const csv = await app.get('/api/concessions/review?type=timber&sort=total_loss_ha&order=desc&format=csv');
    const lines = String(csv.body).trim().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[0]).toContain('rate_during_pct');
    expect(lines[1]).toContain(full.body.items[0].name);
    const geo = await app.get('/api/concessions/review?region=Madre%20de%20Dios&flagged=true&format=geojson');
    expect(geo.body.features).toHaveLength(4);
    expect(geo.body.features[0].geometry.type).toMatch(/Polygon/);
    expect((await app.get('/api/concessions/review?sort=nonsense')).status).toBe(400);
  });

  it('says "no data", never 0, for a concession outside the loss layer, and the covered share of one partly inside', async () => {
    const r = await app.get('/api/concessions/review?limit=1000&sort=rate_during_pct&order=asc');
    const items = r.body.items as Record<string, unknown>[];
    const outside = items.find((i) => i.name === 'Concession U-01')!;
    expect(outside.covered_fraction).toBe(0);
    for (const k of ['forest2000_ha', 'total_loss_ha', 'rate_before_pct', 'rate_during_pct', 'recent_trend', 'ring_rate_during_pct', 'rank', 'percentile']) expect(outside[k], k).toBeNull();
    expect(outside.flagged).toBe(false);
    expect(outside.no_data_en).toBe('Outside the loss layer loss: no data');
    expect(outside.no_data_es).toBe('Fuera de la capa de pérdida loss: sin datos');
    // Lowest rate first: the concession without data is not ranked as the best, it comes last.
    const firstNull = items.findIndex((i) => i.rate_during_pct === null);
    expect(items.slice(firstNull).every((i) => i.rate_during_pct === null)).toBe(true);
    expect(items.indexOf(outside)).toBeGreaterThanOrEqual(firstNull);
    const partly = items.find((i) => i.name === 'Concession U-02')!;
    expect(partly.covered_fraction as number).toBeGreaterThan(0.4);
    expect(partly.covered_fraction as number).toBeLessThan(0.6);
    expect(partly.forest2000_ha as number).toBeGreaterThan(0);
    expect(partly.no_data_en).toBe('');
    // CSV: an empty cell, not 0.
    const csv = String((await app.get('/api/concessions/review?region=Ucayali&sort=name&order=asc&format=csv')).body).trim().split('\n');
    const header = csv[0]!.split(',');
    const cells = csv[1]!.split(',');
    expect(cells[header.indexOf('name')]).toBe('Concession U-01');
    expect(cells[header.indexOf('forest2000_ha')]).toBe('');
    expect(cells[header.indexOf('rate_during_pct')]).toBe('');
    // The printable sheet says so in words.
    const sheet = String((await app.get(`/concessions/${ids.get('U-01')}/sheet?lang=es`)).body);
    expect(sheet).toContain('Fuera de la capa de pérdida loss: sin datos');
    expect(sheet).not.toMatch(/>0 ha</);
  });

  it('answers for the loss layer asked for: the review, the sheet and the raster list say which', async () => {
    const rasters = (await app.get('/api/rasters')).body as { name: string; default: boolean; legend: { entries: { year: number }[] } | null; attributes: Record<string, unknown> }[];
    const byName = new Map(rasters.map((r) => [r.name, r]));
    expect(byName.get('loss')!.default).toBe(true);
    expect(byName.get('mining')!.default).toBe(false);
    expect(byName.get('mining')!.legend!.entries.map((e) => e.year)).toEqual([2018, 2019, 2020, 2021, 2022]);
    expect(byName.get('mining')!.attributes).toMatchObject({ source: 'Test mining footprints', licence: 'CC BY 4.0', methodology: [] });
    const standard = await app.get('/api/concessions/review?limit=1000&sort=name&order=asc');
    expect(standard.body.layer).toEqual({ name: 'loss', version: null, treecover: 'cover', threshold: 30 });
    const mining = await app.get('/api/concessions/review?limit=1000&sort=name&order=asc&layer=mining');
    expect(mining.status).toBe(200);
    expect(mining.body.layer).toEqual({ name: 'mining', version: 'm-1', treecover: null, threshold: null });
    // The refresh computed the statistics of both layers: every concession has them.
    const items = mining.body.items as { name: string; covered_fraction: number | null; forest2000_ha: number | null; no_data_en: string; bbox: number[] }[];
    expect(items.every((i) => i.covered_fraction !== null)).toBe(true);
    // West of the layer's east edge (its half of the grid) covered; east of it "no data", not 0.
    const edge = grid.west + (grid.width / 2) * P;
    const west = items.filter((i) => i.name.startsWith('Concession T') && i.bbox[2]! < edge);
    const east = items.filter((i) => i.name.startsWith('Concession T') && i.bbox[0]! > edge);
    expect(west.length).toBeGreaterThan(0);
    expect(east.length).toBeGreaterThan(0);
    for (const i of west) expect(i.covered_fraction).toBe(1);
    for (const i of east) {
      expect(i.covered_fraction).toBe(0);
      expect(i.forest2000_ha).toBeNull();
      expect(i.no_data_en).toBe('Outside the loss layer mining: no data');
    }
    // The figures are the mining layer's: its loss years only (2018 on), another total than the default layer's.
    const mine = mining.body.items.find((i: { name: string }) => i.name === west[0]!.name);
    const same = standard.body.items.find((i: { name: string }) => i.name === west[0]!.name);
    expect(mine.total_loss_ha).toBeGreaterThan(0);
    expect(mine.total_loss_ha).not.toBe(same.total_loss_ha);
    const sheet = String((await app.get(`/concessions/${ids.get('U-02')}/sheet?lang=en&layer=mining`)).body);
    expect(sheet).toContain('Loss layer: mining (m-1); every pixel counts as forest');
    expect(String((await app.get(`/concessions/${ids.get('U-02')}/sheet?lang=es`)).body)).toContain('Capa de pérdida: loss; bosque = cobertura arbórea en 2000 &gt;= 30 % (cover)');
    expect((await app.get('/api/concessions/review?layer=nothing')).status).toBe(404);
    expect((await app.get('/api/concessions/review?layer=cover')).status).toBe(400);
    // An area's loss follows the layer too, and says which it came from.
    const area = await app.get(`/api/areas/${west[0] ? ids.get(west[0].name.replace('Concession ', '')) : 0}/loss?layer=mining`);
    expect(area.body.provenance.layer.name).toBe('mining');
    expect(area.body.provenance.methodology_notes).toEqual([]);
    // Its series starts with its first year: no "0 ha" for the years it does not cover.
    expect(area.body.years.map((y: { year: number }) => y.year)).toEqual([2018, 2019, 2020, 2021, 2022]);
    // So no rate before a contract that started before the layer's first year (2008-2012 here): no data, not 0.
    expect(mine.rate_before_pct).toBeNull();
    expect(mine.rate_during_pct).toBeGreaterThan(0);
  });

  it('keeps review notes with who (the signed-in forest authority) and when', async () => {
    const id = ids.get('T-03')!;
    const post = (body: unknown, token = TOKEN) => fetch(`${app.baseUrl}/api/concessions/${id}/review`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect((await post({ supervision_status: 'watch', note: 'x', author: 'a' }, 'wrong-token-wrong-token')).status).toBe(401);
    expect((await post({ supervision_status: 'nonsense', author: 'OSINFOR' })).status).toBe(400);
    expect((await post({ supervision_status: 'watch', note: 'x' }, OTHER)).status).toBe(403);
    // The author is whoever is signed in, whatever the body says.
    expect((await post({ supervision_status: 'watch', note: 'Loss since 2010 far above peers', author: 'someone else' })).status).toBe(201);
    expect((await post({ supervision_status: 'field_visit', note: 'Visit planned' }, SERFOR)).status).toBe(201);
    const row = (await app.get('/api/concessions/review?q=T-03')).body.items[0];
    expect(row).toMatchObject({ reviewed: true, supervision_status: 'field_visit', review_note: 'Visit planned', reviewed_by: emails.serfor });
    const history = await app.get(`/api/concessions/${id}/review`);
    expect(history.body.map((h: { author: string }) => h.author)).toEqual([emails.serfor, emails.osinfor]);
    const protectedArea = await database.db.insertInto('area').values({ kind: 'protected_area', source_id: 'pa', name: 'PA', properties: '{}', geom: 'SRID=4326;MULTIPOLYGON(((-70 -12,-69.9 -12,-69.9 -11.9,-70 -12)))', area_ha: 1, import_source_id: null }).returning('id').executeTakeFirstOrThrow();
    expect((await fetch(`${app.baseUrl}/api/concessions/${protectedArea.id}/review`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ supervision_status: 'watch', author: 'x' }) })).status).toBe(404);
  });
});
