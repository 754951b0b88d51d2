// Vector tiles on the grid fixture: what a tile holds, both encoding paths giving the same features
// (on a PostGIS server, where ST_AsMVT exists), caching headers, drafts left out, GDAL reading a tile.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { VectorTiles } from '../../server/services/vector_tiles.service';
import { decodeMvt, ringArea } from '../helpers/mvt_decode';
import { seedGridWithDraftSite } from '../helpers/grid_fixture';
import { hasGdal } from '../helpers/shared_data';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

/** Slippy tile of a lon/lat at zoom z. */
function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return [x, y];
}

describe(`vector tiles on the ${testDatabaseKind()} database`, () => {
  // The draft's site is never in public tiles.
  const ctx = useTestApp({ seed: seedGridWithDraftSite });
  const raw = async (p: string, headers: Record<string, string> = {}) => fetch(ctx.app.baseUrl + p, { headers });

  it('holds the areas of one kind that touch the tile, with their attributes, clockwise exteriors', async () => {
    // z6 tile of the grid's south-west corner: 1-degree squares, 64 tile units a degree or so.
    const [x, y] = tileOf(-75.5, -11.5, 6);
    const r = await raw(`/tiles/protected_area/6/${x}/${y}.mvt`, { 'accept-encoding': 'gzip' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(r.headers.get('content-encoding')).toBe('gzip'); // fetch inflates it for us
    const layers = decodeMvt(new Uint8Array(await r.arrayBuffer()));
    const features = layers.protected_area!;
    // Which squares lie in this tile: all of the grid's protected areas whose bbox meets it.
    const expected = (await sql<{ id: number }>`SELECT id FROM area WHERE kind = 'protected_area' AND geom && ST_Transform(ST_TileEnvelope(6, ${x}, ${y}), 4326) ORDER BY id`.execute(ctx.database.db)).rows.map((r) => r.id);
    expect(features.map((f) => f.id).sort((a, b) => a! - b!)).toEqual(expected);
    for (const f of features) {
      expect(f.type).toBe(3);
      expect(f.properties).toMatchObject({ kind: 'protected_area' });
      expect(f.properties.name).toBeUndefined(); // up to z8 only what styling and filtering need
      expect(ringArea(f.rings[0]!)).toBeGreaterThan(0);
    }
    const [x9, y9] = tileOf(-75.5, -11.5, 9);
    const close = decodeMvt(new Uint8Array(await (await raw(`/tiles/protected_area/9/${x9}/${y9}.mvt`)).arrayBuffer())).protected_area!;
    expect(close[0]!.properties).toMatchObject({ kind: 'protected_area', name: 'Square 0,0', source_id: 'sq-0-0' });
  });

  it('makes the same features by ST_AsMVT and by the Node encoder', async () => {
    const tiles = new VectorTiles(ctx.database.db);
    const native = await tiles.usesNativeMvt();
    const health = (await ctx.app.get('/api/health')).body;
    // The server's PostGIS (Debian's, with protobuf) makes tiles itself; the embedded one cannot.
    expect(native).toBe(health.database.mvt);
    expect(native).toBe(testDatabaseKind() === 'server');
    const cases: [string, number, number, number][] = [];
    for (const z of [3, 5, 6, 8, 9, 11, 13]) {
      for (const [lon, lat] of [[-75.5, -11.5], [-74.0, -10.0], [-72.9, -8.1]] as const) {
        const [x, y] = tileOf(lon, lat, z);
        for (const layer of ['protected_area', 'forest_concession', 'sites', 'activities']) cases.push([layer, z, x, y]);
      }
    }
    let compared = 0;
    for (const [name, z, x, y] of cases) {
      const layer = await tiles.resolveLayer(name);
      const fallback = decodeMvt(await tiles.render(layer, name, z, x, y, false))[name] ?? [];
      if (!native) continue;
      const viaPostgis = decodeMvt(await tiles.render(layer, name, z, x, y, true))[name] ?? [];
      const key = (f: { id: number | undefined; properties: Record<string, unknown>; type: number }) => `${f.id ?? f.properties.id}/${f.type}`;
      expect(fallback.map(key).sort(), `${name} ${z}/${x}/${y}`).toEqual(viaPostgis.map(key).sort());
      for (const f of fallback) {
        const g = viaPostgis.find((v) => key(v) === key(f))!;
        expect(f.properties).toEqual(g.properties);
        if (f.type === 3) {
          const a = f.rings.reduce((s, r) => s + ringArea(r), 0);
          const b = g.rings.reduce((s, r) => s + ringArea(r), 0);
          expect(Math.abs(a - b) / Math.max(1, Math.abs(b)), `${name} ${z}/${x}/${y} feature ${key(f)}`).toBeLessThan(0.01);
        } else {
          expect(f.rings.flat().length).toBe(g.rings.flat().length);
        }
        compared++;
      }
    }
    if (native) expect(compared).toBeGreaterThan(50);
  });

  it('answers an empty tile with 200 and no body, revalidates by ETag, and follows data changes', async () => {
    const empty = await raw('/tiles/forest_concession/6/0/0.mvt');
    expect(empty.status).toBe(200);
    expect((await empty.arrayBuffer()).byteLength).toBe(0);
    const [x, y] = tileOf(-74.5, -10.5, 7);
    const first = await raw(`/tiles/forest_concession/7/${x}/${y}.mvt`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"forest_concession-v\d+-7-/);
    expect(first.headers.get('cache-control')).toMatch(/max-age/);
    expect((await raw(`/tiles/forest_concession/7/${x}/${y}.mvt`, { 'if-none-match': etag })).status).toBe(304);
    await sql`UPDATE area SET geom = ST_Multi(ST_Translate(geom, 0.01, 0)) WHERE kind = 'forest_concession' AND name = 'Square 1,2'`.execute(ctx.database.db);
    // Versions are re-read once a second; a tile whose new version is slow to draw answers its
    // previous one meanwhile, so the change shows within a second or two.
    let after = await raw(`/tiles/forest_concession/7/${x}/${y}.mvt`, { 'if-none-match': etag });
    for (const started = Date.now(); after.status === 304 && Date.now() - started < 5000; ) {
      await new Promise((r) => setTimeout(r, 250));
      after = await raw(`/tiles/forest_concession/7/${x}/${y}.mvt`, { 'if-none-match': etag });
    }
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await raw('/tiles/forest_concession/3/9/9.mvt')).status).toBe(400);
    expect((await raw('/tiles/nonsense/3/1/1.mvt')).status).toBe(404);
  });

  it('answers a tile\'s previous version while its new one is slow to draw, then the new one', async () => {
    const tiles = new VectorTiles(ctx.database.db);
    const [x, y] = tileOf(-74.5, -10.5, 7);
    const before = await tiles.tile('forest_concession', 7, x, y);
    await sql`SELECT atalaya_bump_tile_version(ARRAY['areas'])`.execute(ctx.database.db);
    await new Promise((r) => setTimeout(r, 1100)); // versions are re-read once a second
    const slowly = tiles.render.bind(tiles);
    tiles.render = async (...args) => (await new Promise((r) => setTimeout(r, 800)), slowly(...args));
    const started = Date.now();
    const meanwhile = await tiles.tile('forest_concession', 7, x, y);
    expect(Date.now() - started).toBeLessThan(700);
    expect(meanwhile.etag).toBe(before.etag);
    await new Promise((r) => setTimeout(r, 1000));
    const after = await tiles.tile('forest_concession', 7, x, y); // drawn meanwhile, from the cache
    expect(after.etag).not.toBe(before.etag);
    expect(Buffer.from(after.raw).equals(Buffer.from(before.raw))).toBe(true); // only the version moved
  });

  it('publishes sites and activities of published activities only', async () => {
    const [x, y] = tileOf(-73.5, -8.5, 5);
    for (const layer of ['sites', 'activities']) {
      const f = decodeMvt(new Uint8Array(await (await raw(`/tiles/${layer}/5/${x}/${y}.mvt`)).arrayBuffer()))[layer] ?? [];
      expect(f.length).toBeGreaterThan(0);
      expect(f.some((v) => v.properties.kind === 'secret' || v.properties.code === 'B-02' || v.properties.activity_code === 'B-02')).toBe(false);
    }
    const acts = decodeMvt(new Uint8Array(await (await raw(`/tiles/activities/3/2/4.mvt`)).arrayBuffer())).activities ?? [];
    expect(new Set(acts.map((a) => a.properties.code))).toEqual(new Set(['A-01', 'B-01']));
  });

  it('describes each layer with TileJSON', async () => {
    const tj = (await ctx.app.get('/tiles/forest_concession.json')).body;
    expect(tj.tilejson).toBe('3.0.0');
    expect(tj.tiles[0]).toMatch(/\/tiles\/forest_concession\/\{z\}\/\{x\}\/\{y\}\.mvt$/);
    expect(tj.vector_layers[0].fields).toMatchObject({ name: 'String', concession_type: 'String' });
    expect(tj.bounds[0]).toBeCloseTo(-76, 0);
  });

  it.skipIf(!hasGdal)('is read by GDAL\'s MVT driver', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-mvt-'));
    try {
      const [x, y] = tileOf(-74.5, -10.5, 6);
      fs.mkdirSync(path.join(dir, '6', String(x)), { recursive: true });
      const file = path.join(dir, '6', String(x), `${y}.pbf`);
      fs.writeFileSync(file, Buffer.from(await (await raw(`/tiles/forest_concession/6/${x}/${y}.mvt`)).arrayBuffer()));
      const info = execFileSync('ogrinfo', ['-ro', '-al', '-so', file], { encoding: 'utf8' }); // a file: no request to this process
      const expected = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM area WHERE kind = 'forest_concession' AND geom && ST_Transform(ST_TileEnvelope(6, ${x}, ${y}), 4326)`.execute(ctx.database.db)).rows[0]!.n;
      expect(info).toMatch(/Layer name: forest_concession/);
      expect(info).toMatch(new RegExp(`Feature Count: ${expected}\\b`));
      expect(info).toMatch(/WGS 84 \/ Pseudo-Mercator|EPSG.*3857/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
