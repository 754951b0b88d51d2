import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { ingestGeoTiff } from '../../server/raster/ingest';
import { lossPalette } from '../../server/raster/loss_palette';
import { latToTileY, lonToTileX, tileXToLon, tileYToLat } from '../../server/raster/tile_math';
import { createTestUser } from '../helpers/accounts';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

// Loss code 5 (2005) in the west half, 20 (2020) in a square in its middle, nothing in the east half.
const grid = { west: -70, north: -12, pixelSize: 0.001, width: 800, height: 600 };
const code = (x: number, y: number) => (x >= 400 ? 0 : x >= 150 && x < 250 && y >= 250 && y < 350 ? 20 : 5);

describe(`raster tiles on the ${testDatabaseKind()} database`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-tiles-'));
  let app: TestApp;
  let adminToken = '';
  beforeAll(async () => {
    const database = await getTestDatabase();
    await resetData(database);
    const values = new Uint8Array(grid.width * grid.height);
    for (let y = 0; y < grid.height; y++) for (let x = 0; x < grid.width; x++) values[y * grid.width + x] = code(x, y);
    fs.writeFileSync(path.join(dir, 'loss.tif'), await encodeUint8GeoTiff(grid, values, 'test'));
    await ingestGeoTiff(path.join(dir, 'loss.tif'), path.join(dir, 'store'), 'lossyear');
    const cover = new Uint8Array(grid.width * grid.height);
    for (let y = 0; y < grid.height; y++) cover.fill(y < 300 ? 80 : 10, y * grid.width, (y + 1) * grid.width);
    fs.writeFileSync(path.join(dir, 'cover.tif'), await encodeUint8GeoTiff(grid, cover, 'test'));
    await ingestGeoTiff(path.join(dir, 'cover.tif'), path.join(dir, 'cover'), 'treecover');
    const extent = sql<string>`ST_MakeEnvelope(-70, -12.6, -69.2, -12, 4326)`;
    for (const [name, store, kind] of [['test_loss', path.join(dir, 'store'), 'lossyear'], ['not_ingested', undefined, 'lossyear'], ['test_cover', path.join(dir, 'cover'), 'treecover']] as const) {
      await database.db.insertInto('raster_layer').values({ name, kind, version: 't', files: JSON.stringify([path.join(dir, 'loss.tif')]), width: 800, height: 600, pixel_size_deg: 0.001, extent, properties: JSON.stringify(store ? { store, lastYear: 20 } : {}) }).execute();
    }
    adminToken = (await createTestUser(database, 'admin')).token;
    app = await startTestApp(database, { ATALAYA_DATA_DIR: dir });
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const tileAt = (lon: number, lat: number, z: number) => [z, Math.floor(lonToTileX(lon, z)), Math.floor(latToTileY(lat, z))] as const;
  const get = (layer: string, t: readonly [number, number, number], q = '') => fetch(`${app.baseUrl}/tiles/rasters/${layer}/${t[0]}/${t[1]}/${t[2]}.png${q}`);

  it('draws the loss years in their colours, and only the chosen years', async () => {
    const t = tileAt(-69.75, -12.3, 13); // straddles the east edge of the 2020 square
    const res = await get('test_loss', t);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toMatch(/max-age/);
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    const palette = lossPalette(20);
    let checked = 0;
    for (const [i, j] of [[10, 10], [128, 128], [250, 40], [60, 230]] as const) {
      const lon = tileXToLon(t[1] + (i + 0.5) / 256, 13);
      const lat = tileYToLat(t[2] + (j + 0.5) / 256, 13);
      const c = code(Math.floor((lon + 70) / 0.001), Math.floor((-12 - lat) / 0.001));
      const k = (j * 256 + i) * 4;
      expect([...png.data.subarray(k, k + 4)]).toEqual(c ? palette[c] : [0, 0, 0, 0]);
      checked += c ? 1 : 0;
    }
    expect(checked).toBeGreaterThan(0);
    const late = PNG.sync.read(Buffer.from(await (await get('test_loss', t, '?from=2015&to=2023')).arrayBuffer()));
    const painted = (p: PNG) => { let n = 0; for (let k = 3; k < p.data.length; k += 4) if (p.data[k]! > 0) n++; return n; };
    expect(painted(late)).toBeLessThan(painted(png));
    expect(painted(late)).toBeGreaterThan(0);
  });

  it('answers 204 inside the layer where nothing is lost, 404 outside it, 304 for a known ETag', async () => {
    expect((await get('test_loss', tileAt(-69.25, -12.3, 13))).status).toBe(204);
    expect((await get('test_loss', tileAt(-60, -5, 13))).status).toBe(404);
    const t = tileAt(-69.8, -12.3, 13);
    const first = await get('test_loss', t);
    const again = await fetch(`${app.baseUrl}/tiles/rasters/test_loss/${t[0]}/${t[1]}/${t[2]}.png`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('answers bad requests with what to fix', async () => {
    expect((await get('test_loss', [3, 9, 0])).status).toBe(400);
    expect((await get('test_loss', [13, 1, 1], '?from=2020&to=2010')).status).toBe(400);
    expect((await get('nope', [3, 1, 1])).status).toBe(404);
    expect((await get('not_ingested', [3, 1, 1])).status).toBe(409);
    const layers = (await app.get('/api/rasters')).body as { name: string; ready: boolean; legend: { entries: unknown[] } | null; bounds: number[] }[];
    expect(layers.map((l) => [l.name, l.ready])).toEqual([['not_ingested', false], ['test_cover', true], ['test_loss', true]]);
    expect(layers[2]!.bounds).toEqual([-70, -12.6, -69.2, -12]);
    expect(layers[2]!.legend!.entries).toHaveLength(20);
    expect((await get('test_loss', [13, 1, 1], '?treecover=test_loss')).status).toBe(400);
  });

  it('masks loss to forest with a tree cover layer (30 % by default) and draws tree cover in greens', async () => {
    // A tile across row 300 (latitude -12.3): forest above, 10 % cover below.
    const t = tileAt(-69.8, -12.3, 12);
    const painted = async (q: string) => {
      const res = await get('test_loss', t, q);
      if (res.status === 204) return { n: 0, south: 0 };
      const p = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
      let n = 0;
      let south = 0;
      for (let j = 0; j < 256; j++) for (let i = 0; i < 256; i++) if (p.data[(j * 256 + i) * 4 + 3]! > 0) {
        n++;
        if (tileYToLat(t[2] + (j + 0.5) / 256, 12) < -12.3) south++;
      }
      return { n, south };
    };
    const all = await painted('');
    const forest = await painted('?treecover=test_cover');
    const sparse = await painted('?treecover=test_cover&threshold=5');
    expect(all.south).toBeGreaterThan(0);
    expect(forest.south).toBe(0);
    expect(forest.n).toBeGreaterThan(0);
    expect(forest.n).toBeLessThan(all.n);
    expect(sparse).toEqual(all);
    const cover = await get('test_cover', t, '?threshold=50');
    expect(cover.status).toBe(200);
    const png = PNG.sync.read(Buffer.from(await cover.arrayBuffer()));
    expect([png.data[3], png.data[png.data.length - 1]]).toEqual([255, 0]); // north 80 % drawn, south 10 % not
  });

  it('registers an uploaded GeoTIFF over HTTP for an admin, and refuses a bad one changing nothing', async () => {
    const form = (content: Buffer, name: string) => {
      const f = new FormData();
      f.set('kind', 'lossyear');
      f.set('name', 'uploaded_loss');
      f.set('file', new Blob([new Uint8Array(content)]), name);
      return f;
    };
    const tif = fs.readFileSync(path.join(dir, 'loss.tif'));
    const post = (body: FormData, token?: string) => fetch(`${app.baseUrl}/api/rasters`, { method: 'POST', body, headers: token ? { Authorization: `Bearer ${token}` } : {} });
    expect((await post(form(tif, 'loss.tif'))).status).toBe(401);
    const created = await post(form(tif, 'loss.tif'), adminToken);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'uploaded_loss', kind: 'lossyear', width: 800, height: 600 });
    expect((await get('uploaded_loss', tileAt(-69.75, -12.3, 13))).status).toBe(200);
    const bad = await post(form(Buffer.from('not a tiff'), 'bad.tif'), adminToken);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/not a readable GeoTIFF.*Nothing was changed/);
    expect((await get('uploaded_loss', tileAt(-69.75, -12.3, 13))).status).toBe(200);
  });
});
