// Registering raster layers: a mosaic with no seam, the real derived raster from ../shared/data, and
// inputs refused with the existing layer left as it was.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { encodeUint8GeoTiff } from '../../server/demo/geotiff_writer';
import { BadRequestError } from '../../server/errors';
import { BlockStore } from '../../server/raster/block_store';
import { renderLossTile } from '../../server/raster/render_tile';
import { latToTileY, lonToTileX } from '../../server/raster/tile_math';
import { registerRasterLayer } from '../../server/services/raster_layers.service';
import { hasGdal, hasSharedData, sharedData } from '../helpers/shared_data';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const value = (x: number, y: number) => (x * 3 + y * 5) % 24;

describe(`raster layers on the ${testDatabaseKind()} database`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-rl-'));
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    // One 700 x 400 grid, also cut into a west file (300 columns) and an east file (400 columns).
    const make = (x0: number, w: number) => {
      const v = new Uint8Array(w * 400);
      for (let y = 0; y < 400; y++) for (let x = 0; x < w; x++) v[y * w + x] = value(x0 + x, y);
      return encodeUint8GeoTiff({ west: -70 + x0 * 0.001, north: -12, pixelSize: 0.001, width: w, height: 400 }, v, 'test');
    };
    fs.writeFileSync(path.join(dir, 'whole.tif'), await make(0, 700));
    fs.writeFileSync(path.join(dir, 'west.tif'), await make(0, 300));
    fs.writeFileSync(path.join(dir, 'east.tif'), await make(300, 400));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores a mosaic of two files exactly like the single file, with no seam', async () => {
    await registerRasterLayer(database.db, { files: [path.join(dir, 'whole.tif')], kind: 'lossyear', name: 'whole', dataDir: dir });
    await registerRasterLayer(database.db, { files: [path.join(dir, 'east.tif'), path.join(dir, 'west.tif')], kind: 'lossyear', name: 'mosaic', dataDir: dir });
    const a = new BlockStore(path.join(dir, 'rasters', 'whole'));
    const b = new BlockStore(path.join(dir, 'rasters', 'mosaic'));
    try {
      expect(b.meta).toMatchObject({ width: 700, height: 400, west: -70, north: -12 });
      for (const l of a.meta.levels) {
        for (let by = 0; by < l.rows; by++) for (let bx = 0; bx < l.cols; bx++) expect(Buffer.from(b.block(l.level, bx, by)).equals(Buffer.from(a.block(l.level, bx, by)))).toBe(true);
      }
      // A tile across the seam at column 300 (longitude -69.7) is the same from both.
      const t = [14, Math.floor(lonToTileX(-69.7, 14)), Math.floor(latToTileY(-12.2, 14))] as const;
      expect(Buffer.from(renderLossTile(b, ...t, { fromCode: 1, toCode: 23 })!.indices).equals(Buffer.from(renderLossTile(a, ...t, { fromCode: 1, toCode: 23 })!.indices))).toBe(true);
    } finally {
      a.close();
      b.close();
    }
    const rows = await database.db.selectFrom('raster_layer').select(['name', 'width', 'height']).orderBy('name').execute();
    expect(rows).toEqual([{ name: 'mosaic', width: 700, height: 400 }, { name: 'whole', width: 700, height: 400 }]);
  });

  it('refuses multi-band, float, projected and misaligned inputs and keeps the existing layer', async () => {
    const base = { width: 10, height: 10, ModelPixelScale: [0.001, 0.001, 0], ModelTiepoint: [0, 0, 0, -70, -12, 0], GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 1, GeographicTypeGeoKey: 4326 };
    const write = async (name: string, values: ArrayLike<number>, meta: object) => {
      fs.writeFileSync(path.join(dir, name), Buffer.from(await writeArrayBuffer(values as number[], { ...base, ...meta } as Parameters<typeof writeArrayBuffer>[1])));
      return path.join(dir, name);
    };
    const cases: [string, RegExp][] = [
      [await write('rgb.tif', new Uint8Array(300), { SamplesPerPixel: 3, BitsPerSample: [8, 8, 8], PhotometricInterpretation: 2 }), /has 3 bands/],
      [await write('float.tif', new Float32Array(100), { BitsPerSample: [32], SampleFormat: [3] }), /not 8-bit integer/],
      [await write('utm.tif', new Uint8Array(100), { GTModelTypeGeoKey: 1, GeographicTypeGeoKey: undefined, ProjectedCSTypeGeoKey: 32719 }), /not in EPSG:4326/],
      [await write('shifted.tif', new Uint8Array(100), { ModelTiepoint: [0, 0, 0, -70.0005, -12, 0] }), /same pixel grid/],
    ];
    const before = fs.readFileSync(path.join(dir, 'rasters', 'whole', 'meta.json'), 'utf8');
    for (const [file, message] of cases) {
      const files = file.endsWith('shifted.tif') ? [path.join(dir, 'whole.tif'), file] : [file];
      const error = await registerRasterLayer(database.db, { files, kind: 'lossyear', name: 'whole', dataDir: dir }).then(() => undefined, (e: unknown) => e);
      expect(error, file).toBeInstanceOf(BadRequestError);
      expect((error as Error).message, file).toMatch(message);
    }
    expect(fs.readFileSync(path.join(dir, 'rasters', 'whole', 'meta.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(path.join(dir, 'rasters')).sort()).toEqual(['mosaic', 'whole']);
  });

  it.skipIf(!hasSharedData)('registers and renders the real derived mining raster from ../shared/data (skipped when absent)', async () => {
    const file = path.join(sharedData, 'deforestation', 'amw_mining_firstyear_madre_de_dios_derived.tif');
    await registerRasterLayer(database.db, { files: [file], kind: 'lossyear', name: 'amw_mining', dataDir: dir });
    const store = new BlockStore(path.join(dir, 'rasters', 'amw_mining'));
    try {
      expect(store.meta).toMatchObject({ width: 7800, height: 4400, maxValue: 25 }); // 255 (no data) reads as 0
      // La Pampa mining corridor (about -69.9, -12.95) has mapped mining at zoom 12.
      const tile = renderLossTile(store, 12, Math.floor(lonToTileX(-69.95, 12)), Math.floor(latToTileY(-12.95, 12)), { fromCode: 18, toCode: 25 });
      expect(tile!.painted).toBeGreaterThan(100);
    } finally {
      store.close();
    }
  });

  it.skipIf(!hasGdal)('reads LZW, DEFLATE, tiled and overview-carrying variants made by GDAL identically (skipped without gdal-bin)', async () => {
    const variants: [string, string[]][] = [
      ['lzw.tif', ['-co', 'COMPRESS=LZW']],
      ['deflate_tiled.tif', ['-co', 'COMPRESS=DEFLATE', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=128', '-co', 'BLOCKYSIZE=128']],
      ['lzw_tiled_overviews.tif', ['-co', 'COMPRESS=LZW', '-co', 'TILED=YES']],
    ];
    const whole = new BlockStore(path.join(dir, 'rasters', 'whole'));
    try {
      for (const [name, options] of variants) {
        const out = path.join(dir, name);
        execFileSync('gdal_translate', ['-q', ...options, path.join(dir, 'whole.tif'), out]);
        if (name.includes('overviews')) execFileSync('gdaladdo', ['-q', out, '2', '4']);
        await registerRasterLayer(database.db, { files: [out], kind: 'lossyear', name: name.replace('.tif', ''), dataDir: dir });
        const store = new BlockStore(path.join(dir, 'rasters', name.replace('.tif', '')));
        try {
          for (const l of whole.meta.levels) for (let by = 0; by < l.rows; by++) for (let bx = 0; bx < l.cols; bx++) {
            expect(Buffer.from(store.block(l.level, bx, by)).equals(Buffer.from(whole.block(l.level, bx, by))), `${name} ${l.level}/${bx}/${by}`).toBe(true);
          }
        } finally {
          store.close();
        }
      }
    } finally {
      whole.close();
    }
  });

  it.skipIf(!hasGdal || !hasSharedData)('agrees with GDAL (gdallocationinfo) at 2,000 random points of the real raster', async () => {
    const file = path.join(sharedData, 'deforestation', 'amw_mining_firstyear_madre_de_dios_derived.tif');
    await registerRasterLayer(database.db, { files: [file], kind: 'lossyear', name: 'amw_check', dataDir: dir });
    const store = new BlockStore(path.join(dir, 'rasters', 'amw_check'));
    try {
      let seed = 11;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      // Half the points anywhere, half in the mining corridor where values are not zero.
      const points = Array.from({ length: 2000 }, (_, i) => (i % 2 ? [Math.floor(rand() * 7800), Math.floor(rand() * 4400)] : [2000 + Math.floor(rand() * 1600), 2400 + Math.floor(rand() * 1200)]) as [number, number]);
      const out = execFileSync('gdallocationinfo', ['-valonly', file], { input: points.map(([x, y]) => `${x} ${y}`).join('\n'), encoding: 'utf8' });
      const gdal = out.trim().split('\n').map(Number);
      expect(gdal).toHaveLength(points.length);
      let nonZero = 0;
      points.forEach(([x, y], i) => {
        const ours = store.block(0, x >> 8, y >> 8)[(y & 255) * 256 + (x & 255)];
        const expected = gdal[i] === 255 ? 0 : gdal[i];
        if (ours !== expected) throw new Error(`pixel ${x},${y}: store ${ours}, GDAL ${gdal[i]}`);
        if (ours) nonZero++;
      });
      expect(nonZero).toBeGreaterThan(20);
    } finally {
      store.close();
    }
  });
});
