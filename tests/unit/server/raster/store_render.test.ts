// The block store against its source: every pixel read back equals the GeoTIFF's, overviews keep the
// latest loss of each 2 x 2, and a tile samples the pixel under each of its pixel centres.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromFile } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeUint8GeoTiff } from '../../../../server/demo/geotiff_writer';
import { BLOCK, BlockStore } from '../../../../server/raster/block_store';
import { ingestGeoTiff, RasterInputError } from '../../../../server/raster/ingest';
import { renderLossTile, chooseLevel } from '../../../../server/raster/render_tile';
import { latToTileY, lonToTileX, tileXToLon, tileYToLat } from '../../../../server/raster/tile_math';

const grid = { west: -70, north: -12, pixelSize: 0.001, width: 600, height: 500 };
// Crosses block edges (256) both ways; codes 0..23 in a pattern with zeros.
const value = (x: number, y: number) => ((x * 7 + y * 13) % 29 > 23 ? 0 : (x * 7 + y * 13) % 29);

describe('raster block store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-store-'));
  let store: BlockStore;
  beforeAll(async () => {
    const values = new Uint8Array(grid.width * grid.height);
    for (let y = 0; y < grid.height; y++) for (let x = 0; x < grid.width; x++) values[y * grid.width + x] = value(x, y);
    fs.writeFileSync(path.join(dir, 'src.tif'), await encodeUint8GeoTiff(grid, values, 'test'));
    await ingestGeoTiff(path.join(dir, 'src.tif'), path.join(dir, 'store'), 'lossyear');
    store = new BlockStore(path.join(dir, 'store'));
  });
  afterAll(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads back every pixel of level 0 exactly, across block edges', async () => {
    const tiff = await fromFile(path.join(dir, 'src.tif'));
    const [band] = (await (await tiff.getImage()).readRasters()) as unknown as [Uint8Array];
    let mismatches = 0;
    for (let y = 0; y < grid.height; y++) {
      for (let x = 0; x < grid.width; x++) {
        const b = store.block(0, x >> 8, y >> 8);
        if (b[(y % BLOCK) * BLOCK + (x % BLOCK)] !== band[y * grid.width + x]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    expect(store.meta).toMatchObject({ width: 600, height: 500, maxValue: 23 });
  });

  it('builds overviews that keep the latest loss of each 2 x 2 down to one block', () => {
    expect(store.meta.levels.map((l) => [l.width, l.height, l.cols, l.rows])).toEqual([[600, 500, 3, 2], [300, 250, 2, 1], [150, 125, 1, 1]]);
    for (const [x, y] of [[0, 0], [127, 99], [140, 124], [299, 249]] as const) {
      const expected = Math.max(value(2 * x, 2 * y), value(2 * x + 1, 2 * y), value(2 * x, 2 * y + 1), value(2 * x + 1, 2 * y + 1));
      expect(store.block(1, x >> 8, y >> 8)[(y % BLOCK) * BLOCK + (x % BLOCK)]).toBe(expected);
    }
  });

  it('renders a tile from the pixel under each tile pixel centre, filtered by year', () => {
    const z = 14;
    const x = Math.floor(lonToTileX(-69.8, z));
    const y = Math.floor(latToTileY(-12.2, z));
    expect(chooseLevel(store, z)).toBe(0);
    const all = renderLossTile(store, z, x, y, { fromCode: 1, toCode: 23 })!;
    const late = renderLossTile(store, z, x, y, { fromCode: 20, toCode: 23 })!;
    for (const [i, j] of [[0, 0], [17, 200], [255, 255], [128, 64]] as const) {
      const lon = tileXToLon(x + (i + 0.5) / 256, z);
      const lat = tileYToLat(y + (j + 0.5) / 256, z);
      const v = value(Math.floor((lon - grid.west) / grid.pixelSize), Math.floor((grid.north - lat) / grid.pixelSize));
      expect(all.indices[j * 256 + i]).toBe(v);
      expect(late.indices[j * 256 + i]).toBe(v >= 20 ? v : 0);
    }
    expect(late.painted).toBeLessThan(all.painted);
    expect(renderLossTile(store, z, 0, 0, { fromCode: 1, toCode: 23 })).toBeUndefined();
  });

  it('refuses a multi-band or non-geographic GeoTIFF with a clear error and keeps the old store', async () => {
    fs.writeFileSync(path.join(dir, 'bad.tif'), Buffer.from('not a tiff at all'));
    await expect(ingestGeoTiff(path.join(dir, 'bad.tif'), path.join(dir, 'store'), 'lossyear')).rejects.toBeInstanceOf(RasterInputError);
    expect(fs.existsSync(path.join(dir, 'store', 'meta.json'))).toBe(true);
  });
});
