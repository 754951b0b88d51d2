// An ingest killed with SIGKILL half way leaves the layer's previous store untouched, and the next
// ingest removes the half-written folder and finishes.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeUint8GeoTiff } from '../../../../server/demo/geotiff_writer';
import { BlockStore } from '../../../../server/raster/block_store';
import { ingestGeoTiff } from '../../../../server/raster/ingest';
import { hasGdal } from '../../../helpers/shared_data';

const root = fileURLToPath(new URL('../../../..', import.meta.url));

describe.skipIf(!hasGdal)('an ingest killed half way', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-kill-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the previous store, and the next ingest cleans up and completes', async () => {
    const grid = { west: -70, north: -10, pixelSize: 1 / 3600, width: 600, height: 400 };
    const v = new Uint8Array(grid.width * grid.height);
    for (let i = 0; i < v.length; i++) v[i] = Math.imul(i, 2654435761) >>> 29 === 0 ? 1 + (i % 23) : 0;
    const small = path.join(dir, 'small.tif');
    fs.writeFileSync(small, await encodeUint8GeoTiff(grid, v, 'small'));
    const big = path.join(dir, 'big.tif');
    execFileSync('gdal_translate', ['-q', '-outsize', '24000', '16000', '-r', 'nearest', '-co', 'COMPRESS=LZW', '-co', 'BLOCKYSIZE=1', small, big]);
    const store = path.join(dir, 'store');
    await ingestGeoTiff(small, store, 'lossyear');
    const before = fs.readFileSync(path.join(store, 'layer.tif'));

    const script = path.join(dir, 'run.mjs');
    fs.writeFileSync(script, `import { ingestGeoTiff } from ${JSON.stringify(path.join(root, 'server/raster/ingest.ts'))};\nawait ingestGeoTiff(${JSON.stringify(big)}, ${JSON.stringify(store)}, 'lossyear');\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: 'ignore' });
    // Kill it once it has written part of the new full-resolution level.
    const deadline = Date.now() + 60_000;
    let tmp: string | undefined;
    while (Date.now() < deadline) {
      tmp = fs.readdirSync(dir).find((f) => f.startsWith('store.tmp-'));
      const partial = tmp ? path.join(dir, tmp, 'level-0.blocks.tmp') : undefined;
      if (partial && fs.existsSync(partial) && fs.statSync(partial).size > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(tmp, 'the ingest never started writing').toBeDefined();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    // The layer still reads as before.
    const meta = JSON.parse(fs.readFileSync(path.join(store, 'meta.json'), 'utf8'));
    expect([meta.width, meta.height]).toEqual([600, 400]);
    expect(fs.readFileSync(path.join(store, 'layer.tif')).equals(before)).toBe(true);
    const reader = new BlockStore(store);
    expect(reader.block(0, 0, 0).length).toBe(256 * 256);
    reader.close();
    expect(fs.existsSync(path.join(dir, tmp!))).toBe(true); // what the killed process left

    // The next ingest removes it and finishes.
    const done = await ingestGeoTiff(big, store, 'lossyear');
    expect([done.width, done.height]).toEqual([24000, 16000]);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('store.tmp-'))).toEqual([]);
  }, 180_000);
});
