// The raster store is a Cloud-Optimized GeoTIFF that GDAL opens as it is: its validator passes, and
// GDAL reads every pixel of every level (main image and overviews) as the store's own reader does;
// a store from before the COG converts without its source; an alert update writes the next
// generation's COG; a layer past 4 GiB would be a BigTIFF, which GDAL reads the same.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { today } from '../../../../server/alerts/alert_encoding';
import { ingestAlerts } from '../../../../server/alerts/alert_ingest';
import { BLOCK, BlockStore, LevelWriter, type StoreMeta } from '../../../../server/raster/block_store';
import { writeCog } from '../../../../server/raster/cog_write';
import { ingestGeoTiff } from '../../../../server/raster/ingest';
import { convertLegacyStores } from '../../../../server/raster/store_pack';
import { hasGdalPython, PYTHON } from '../../../helpers/gdal_reference';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const script = path.join(root, 'tests/helpers/gdal_levels.py');
const alertsScript = path.join(root, 'tests/helpers/gdal_alerts.py');

interface GdalView {
  errors: string[];
  warnings: string[];
  levels: { width: number; height: number; sha256: string; geotransform?: number[]; epsg?: string }[];
}
const gdalView = (file: string) => JSON.parse(execFileSync(PYTHON, [script, file], { encoding: 'utf8', maxBuffer: 16 << 20 })) as GdalView;

/** SHA-256 of a level's pixels as the store reads them, cropped to the level's size, row by row. */
function storeHash(store: BlockStore, level: number): string {
  const lv = store.meta.levels[level]!;
  const bpp = store.meta.bytesPerPixel ?? 1;
  const hash = crypto.createHash('sha256');
  for (let by = 0; by < lv.rows; by++) {
    const h = Math.min(BLOCK, lv.height - by * BLOCK);
    for (let r = 0; r < h; r++) {
      for (let bx = 0; bx < lv.cols; bx++) {
        const w = Math.min(BLOCK, lv.width - bx * BLOCK);
        const b = store.block(level, bx, by);
        hash.update(b.subarray(r * BLOCK * bpp, (r * BLOCK + w) * bpp));
      }
    }
  }
  return hash.digest('hex');
}

function expectGdalReadsStore(dir: string): GdalView {
  const store = new BlockStore(dir);
  try {
    const view = gdalView(path.join(dir, store.meta.file!));
    expect(view.errors).toEqual([]);
    expect(view.levels.map((l) => [l.width, l.height])).toEqual(store.meta.levels.map((l) => [l.width, l.height]));
    for (const l of store.meta.levels) expect(view.levels[l.level]!.sha256, `level ${l.level}`).toBe(storeHash(store, l.level));
    const m = store.meta;
    expect(view.levels[0]!.geotransform).toEqual([m.west, m.pixelSize, 0, m.north, 0, -(m.pixelSizeY ?? m.pixelSize)]);
    expect(view.levels[0]!.epsg).toBe('4326');
    return view;
  } finally {
    store.close();
  }
}

describe.skipIf(!hasGdalPython)('the raster store as Cloud-Optimized GeoTIFF', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-cog-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a real loss layer that passes GDAL\'s COG validator and reads pixel for pixel the same in GDAL', async () => {
    const store = path.join(dir, 'amw');
    await ingestGeoTiff(path.join(root, 'data/starter/amw_mining_firstyear_madre_de_dios_derived.tif'), store, 'lossyear');
    expect(fs.readdirSync(store).sort()).toEqual(['layer.tif', 'meta.json']);
    const view = expectGdalReadsStore(store);
    expect(view.warnings).toEqual([]);
    expect(view.levels.length).toBeGreaterThan(5); // 7800 x 4400 down to one block
  }, 120_000);

  it('converts a store written as level files, without its source, into the same COG', async () => {
    const legacy = path.join(dir, 'legacy');
    fs.mkdirSync(legacy);
    // A store as the first wave wrote it: one blocks and one index file a level, meta.json without a file.
    const source = new BlockStore(path.join(dir, 'amw'));
    for (const l of source.meta.levels) {
      const w = new LevelWriter(legacy, l);
      for (let by = 0; by < l.rows; by++) for (let bx = 0; bx < l.cols; bx++) w.write(source.block(l.level, bx, by));
      w.finish();
    }
    const { file: _file, ...legacyMeta } = source.meta;
    fs.writeFileSync(path.join(legacy, 'meta.json'), JSON.stringify(legacyMeta));
    const hashes = source.meta.levels.map((l) => storeHash(source, l.level));
    source.close();
    expect(convertLegacyStores(dir)).toEqual([legacy]);
    expect(fs.readdirSync(legacy).sort()).toEqual(['layer.tif', 'meta.json']);
    expectGdalReadsStore(legacy);
    const converted = new BlockStore(legacy);
    expect(converted.meta.levels.map((l) => storeHash(converted, l.level))).toEqual(hashes);
    converted.close();
    expect(convertLegacyStores(dir)).toEqual([]); // converted once
  }, 120_000);

  it('writes 16-bit alert layers, and an update as the next generation\'s COG', async () => {
    const TODAY = today();
    execFileSync(PYTHON, [alertsScript, 'make', path.join(dir, 'a'), String(TODAY)]);
    const file = path.join(dir, 'a', 'gfw', '10S_070W.tif');
    const store = path.join(dir, 'alerts');
    await ingestAlerts([file], store, 'gfw-integrated');
    expectGdalReadsStore(store);
    const newer = path.join(dir, 'b.tif');
    execFileSync(PYTHON, [alertsScript, 'newer', file, newer, String(TODAY)]);
    const update = await ingestAlerts([newer], store, 'gfw-integrated');
    expect(update.changedBlocks).toBe(1);
    expect(update.meta.generation).toBe(1);
    expect(fs.readdirSync(store).sort()).toEqual(['layer.1.tif', 'meta.json']);
    expectGdalReadsStore(store);
  }, 120_000);

  it('writes a BigTIFF when asked (layers past 4 GiB), which GDAL reads the same', async () => {
    const source = new BlockStore(path.join(dir, 'amw'));
    const big = path.join(dir, 'big');
    fs.mkdirSync(big);
    const meta: StoreMeta = { ...source.meta, file: 'layer.tif' };
    writeCog(path.join(big, 'layer.tif'), meta, meta.levels.map((l) => source.levelTiles(l.level)), { bigTiff: true });
    source.close();
    fs.writeFileSync(path.join(big, 'meta.json'), JSON.stringify(meta));
    expect(fs.readFileSync(path.join(big, 'layer.tif')).readUInt16LE(2)).toBe(43);
    expectGdalReadsStore(big);
  }, 60_000);
});
