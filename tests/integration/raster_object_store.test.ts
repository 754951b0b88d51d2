// The raster store in S3-compatible object storage (ATALAYA_RASTER_STORE=s3://bucket/prefix),
// against a local S3 server: a real layer ingested there reads pixel for pixel as the same layer in
// the folder (every level, tiles, zonal counts), with range requests into a bounded cache; a node
// with an empty folder finds it; GDAL opens the object as it is; an interrupted upload resumes with
// the parts still missing; an alert update in place is published as the next generation.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertDay, today } from '../../server/alerts/alert_encoding';
import { ingestAlerts } from '../../server/alerts/alert_ingest';
import { prefetchAlertTile, alertTilePng } from '../../server/alerts/alert_tile';
import { zonalLossOfGeometry } from '../../server/analysis/zonal/zonal_loss';
import { StorageUnavailableError, httpStatusByCode } from '../../server/errors';
import { BLOCK, BlockStore } from '../../server/raster/block_store';
import { ingestGeoTiff } from '../../server/raster/ingest';
import { blockingReads } from '../../server/raster/remote/blocking_range_reader';
import { publishPendingStores, publishStore } from '../../server/raster/remote/publish_store';
import { rasterObjects, refreshStoreMeta, resetRasterObjects } from '../../server/raster/remote/raster_objects';
import { remoteTileCache, resetRemoteTileCache } from '../../server/raster/remote/remote_tiles';
import { uploadResumable } from '../../server/raster/remote/resumable_upload';
import { prefetchRasterTile, rasterTilePng } from '../../server/services/rasters.service';
import { hasGdalPython, PYTHON } from '../helpers/gdal_reference';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData } from '../helpers/test_database';
import { startLocalS3, type LocalS3 } from '../helpers/s3_server';

const root = fileURLToPath(new URL('../..', import.meta.url));
const AMW = path.join(root, 'data/starter/amw_mining_firstyear_madre_de_dios_derived.tif');
const BUCKET = 'atalaya-rasters';
const ALERTS_SCRIPT = path.join(root, 'tests/helpers/gdal_alerts.py');

/** SHA-256 of every block of a level, as the store reads them. */
function levelHash(store: BlockStore, level: number): string {
  const lv = store.meta.levels[level]!;
  const hash = crypto.createHash('sha256');
  for (let by = 0; by < lv.rows; by++) for (let bx = 0; bx < lv.cols; bx++) hash.update(store.block(level, bx, by));
  return hash.digest('hex');
}

describe('the raster store in S3-compatible object storage', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-s3-rasters-'));
  let s3: LocalS3;
  const saved: Record<string, string | undefined> = {};
  const useObjectStore = (on: boolean) => {
    const env = { ...s3.env, ATALAYA_RASTER_STORE: `s3://${BUCKET}/peru`, ATALAYA_RASTER_CACHE_MB: '0.125' };
    for (const [k, v] of Object.entries(env)) {
      if (!(k in saved)) saved[k] = process.env[k];
      if (on) process.env[k] = v;
      else delete process.env[k];
    }
    resetRasterObjects();
    resetRemoteTileCache();
  };
  const local = path.join(dir, 'local', 'amw');
  const remote = path.join(dir, 'node-a', 'rasters', 'amw');

  beforeAll(async () => {
    s3 = await startLocalS3(BUCKET);
    await ingestGeoTiff(AMW, local, 'lossyear'); // the same layer in the folder, to compare with
    useObjectStore(true);
    await ingestGeoTiff(AMW, remote, 'lossyear');
  }, 120_000);

  let app: TestApp | undefined;
  afterAll(async () => {
    await app?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetRasterObjects();
    resetRemoteTileCache();
    await s3.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps only meta.json in the folder and the COG in the bucket, read block for block as the folder\'s', async () => {
    expect(fs.readdirSync(remote)).toEqual(['meta.json']);
    const meta = JSON.parse(fs.readFileSync(path.join(remote, 'meta.json'), 'utf8')) as { remote: string };
    expect(meta.remote).toMatch(/^peru\/amw\/layer\.[0-9a-z]+\.tif$/);
    const inFolder = new BlockStore(local);
    const inBucket = await BlockStore.open(remote, 4);
    expect(inBucket.isRemote).toBe(true);
    for (const l of inFolder.meta.levels) expect(levelHash(inBucket, l.level), `level ${l.level}`).toBe(levelHash(inFolder, l.level));
    // 7,800 x 4,400 pixels of deflated tiles (about 300 KB) through a 128 KB cache: it stays within it.
    expect(remoteTileCache().size).toBeLessThanOrEqual(remoteTileCache().limitBytes);
    expect(remoteTileCache().limitBytes).toBe(128 << 10);
    inFolder.close();
    inBucket.close();
  }, 120_000);

  it('draws the same tiles, a prefetched tile with no blocking read, and counts the same zonal loss', async () => {
    const inFolder = new BlockStore(local);
    const inBucket = await BlockStore.open(remote);
    // Madre de Dios mining area at zoom 9 to 12.
    for (const [z, x, y] of [[9, 155, 274], [10, 311, 548], [11, 623, 1097], [12, 1247, 2194]] as const) {
      const before = blockingReads();
      await prefetchRasterTile(inBucket, z, x, y, {});
      const png = rasterTilePng(inBucket, z, x, y, { fromYear: 2001, toYear: 2030, threshold: 0 });
      expect(blockingReads(), `tile ${z}/${x}/${y}`).toBe(before);
      expect(png).toEqual(rasterTilePng(inFolder, z, x, y, { fromYear: 2001, toYear: 2030, threshold: 0 }));
    }
    const polygon = { type: 'Polygon', coordinates: [[[-70.5, -12.5], [-69.5, -12.4], [-69.2, -13.2], [-70.4, -13.1], [-70.5, -12.5]]] };
    const expected = zonalLossOfGeometry(polygon, { loss: inFolder, threshold: 0 });
    expect(expected.lossPixels.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(zonalLossOfGeometry(polygon, { loss: inBucket, threshold: 0 })).toEqual(expected);
    inFolder.close();
    inBucket.close();
  }, 120_000);

  it('lets another node with an empty folder open the layer from the bucket\'s meta.json', async () => {
    const other = path.join(dir, 'node-b', 'rasters', 'amw');
    expect(await refreshStoreMeta(other)).toBe(true);
    const store = await BlockStore.open(other);
    const reference = new BlockStore(local);
    expect(levelHash(store, 2)).toBe(levelHash(reference, 2));
    store.close();
    reference.close();
    expect(await refreshStoreMeta(path.join(dir, 'node-b', 'rasters', 'nothing'))).toBe(false);
  }, 60_000);

  it.skipIf(!hasGdalPython)('is a COG that GDAL opens in the bucket (/vsis3/), validator and pixels', () => {
    const meta = JSON.parse(fs.readFileSync(path.join(remote, 'meta.json'), 'utf8')) as { remote: string };
    const env = { ...process.env, AWS_S3_ENDPOINT: s3.endpoint.replace('http://', ''), AWS_HTTPS: 'NO', AWS_VIRTUAL_HOSTING: 'FALSE', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
    const view = JSON.parse(execFileSync(PYTHON, [path.join(root, 'tests/helpers/gdal_levels.py'), `/vsis3/${BUCKET}/${meta.remote}`], { encoding: 'utf8', env, maxBuffer: 16 << 20 })) as { errors: string[]; levels: { sha256: string }[] };
    expect(view.errors).toEqual([]);
    const viaFile = JSON.parse(execFileSync(PYTHON, [path.join(root, 'tests/helpers/gdal_levels.py'), path.join(local, 'layer.tif')], { encoding: 'utf8', maxBuffer: 16 << 20 })) as { levels: { sha256: string }[] };
    expect(view.levels.map((l) => l.sha256)).toEqual(viaFile.levels.map((l) => l.sha256));
  }, 120_000);

  it('resumes an interrupted upload with the parts still missing, and publishes what a stopped run left', async () => {
    const objects = rasterObjects()!;
    const file = path.join(local, 'layer.tif');
    const partBytes = 64 << 10;
    const parts = Math.ceil(fs.statSync(file).size / partBytes);
    expect(parts).toBeGreaterThan(3);
    expect(await uploadResumable(objects, file, 'peru/upload-test/layer.tif', { partBytes, stopAfterParts: 2 })).toEqual({ sent: 2, parts });
    expect(fs.existsSync(`${file}.upload.json`)).toBe(true);
    expect(await uploadResumable(objects, file, 'peru/upload-test/layer.tif', { partBytes })).toEqual({ sent: parts - 2, parts });
    expect(fs.existsSync(`${file}.upload.json`)).toBe(false);
    const out = await objects.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'peru/upload-test/layer.tif' }));
    expect(Buffer.from(await out.Body!.transformToByteArray()).equals(fs.readFileSync(file))).toBe(true);

    // A store written while the object store was unset (or by a run stopped before publishing) is published on start.
    const rasters = path.join(dir, 'node-c', 'rasters');
    useObjectStore(false);
    await ingestGeoTiff(AMW, path.join(rasters, 'pending'), 'lossyear');
    useObjectStore(true);
    expect(await publishPendingStores(rasters)).toEqual([path.join(rasters, 'pending')]);
    expect(fs.readdirSync(path.join(rasters, 'pending'))).toEqual(['meta.json']);
    expect(await publishPendingStores(rasters)).toEqual([]);
    expect((await publishStore(path.join(rasters, 'pending'))).remote).toMatch(/^peru\/pending\/layer\./);
  }, 120_000);

  it.skipIf(!hasGdalPython)('updates an alert layer in place and publishes the next generation, keeping the one before', async () => {
    const TODAY = today();
    execFileSync(PYTHON, [ALERTS_SCRIPT, 'make', path.join(dir, 'a'), String(TODAY)]);
    const file = path.join(dir, 'a', 'gfw', '10S_070W.tif');
    const store = path.join(dir, 'node-a', 'rasters', 'alerts');
    const first = await ingestAlerts([file], store, 'gfw-integrated');
    expect(first.meta.remote).toBeDefined();
    const newer = path.join(dir, 'b.tif');
    execFileSync(PYTHON, [ALERTS_SCRIPT, 'newer', file, newer, String(TODAY)]);
    const update = await ingestAlerts([newer], store, 'gfw-integrated');
    expect(update.changedBlocks).toBe(1);
    expect(update.meta.generation).toBe(1);
    expect(update.meta.remote).toMatch(/^peru\/alerts\/layer\.1\.[0-9a-z]+\.tif$/);
    expect(fs.readdirSync(store)).toEqual(['meta.json']);
    const listed = await rasterObjects()!.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'peru/alerts/' }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([first.meta.remote, update.meta.remote, 'peru/alerts/meta.json'].sort());
    const read = await BlockStore.open(store);
    expect(alertDay(read.block16(0, 590 >> 8, 450 >> 8)[(450 % BLOCK) * BLOCK + (590 % BLOCK)]!)).toBe(TODAY); // the pixel the update changed
    const z = 12;
    const lon = read.meta.west + 590.5 * read.meta.pixelSize;
    const lat = read.meta.north - 450.5 * read.meta.pixelSize;
    const x = Math.floor(((lon + 180) / 360) * 2 ** z);
    const y = Math.floor(((1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2) * 2 ** z);
    const before = blockingReads();
    await prefetchAlertTile(read, z, x, y);
    expect(alertTilePng(read, z, x, y, { fromDay: 1, toDay: TODAY + 1, confidenceMask: 7 })).toBeInstanceOf(Buffer);
    expect(blockingReads()).toBe(before);
    read.close();
  }, 120_000);

  it('serves the same tiles over HTTP from the bucket as from the folder, on a node that has only the layer row', async () => {
    const database = await getTestDatabase();
    await resetData(database);
    const maxValue = (JSON.parse(fs.readFileSync(path.join(local, 'meta.json'), 'utf8')) as { maxValue: number }).maxValue;
    const extent = sql<string>`ST_MakeEnvelope(-70.8, -13.35, -68.85, -12.25, 4326)`;
    // A third node's folder: empty, the layer's meta.json is in the bucket only.
    const elsewhere = path.join(dir, 'node-d', 'rasters', 'amw');
    for (const [name, store] of [['amw_folder', local], ['amw_bucket', remote], ['amw_elsewhere', elsewhere]] as const) {
      await database.db.insertInto('raster_layer').values({ name, kind: 'lossyear', version: 't', files: '[]', width: 7800, height: 4400, pixel_size_deg: 0.00025, extent, properties: JSON.stringify({ store, lastYear: maxValue, ingestedAt: 'test' }) }).execute();
    }
    app = await startTestApp(database, { ATALAYA_DATA_DIR: path.join(dir, 'node-d') });
    for (const [z, x, y] of [[9, 155, 274], [11, 623, 1097], [13, 2494, 4389]] as const) {
      const tile = async (layer: string) => {
        const res = await fetch(`${app!.baseUrl}/tiles/rasters/${layer}/${z}/${x}/${y}.png`);
        return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
      };
      const inFolder = await tile('amw_folder');
      expect([200, 204], `${z}/${x}/${y}`).toContain(inFolder.status);
      expect(await tile('amw_bucket')).toEqual(inFolder);
      expect(await tile('amw_elsewhere')).toEqual(inFolder);
    }
    expect(fs.readdirSync(elsewhere)).toEqual(['meta.json']);
  }, 120_000);

  it('answers 503 storage_unavailable when the object store is down, and stops waiting on it for a while', async () => {
    const store = await BlockStore.open(remote, 1);
    await s3.close();
    let failure: unknown;
    const lv = store.meta.levels[0]!;
    for (let by = 0; by < lv.rows && !failure; by++) {
      for (let bx = 0; bx < lv.cols && !failure; bx++) {
        try {
          store.block(0, bx, by); // blocks still in the 128 KB cache answer; the first one not cached fails
        } catch (e) {
          failure = e;
        }
      }
    }
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect(httpStatusByCode[(failure as StorageUnavailableError).code]).toBe(503);
    const started = Date.now();
    expect(() => {
      for (let by = 0; by < lv.rows; by++) for (let bx = 0; bx < lv.cols; bx++) store.block(0, bx, by);
    }).toThrow(StorageUnavailableError);
    expect(Date.now() - started).toBeLessThan(1000); // no second wait on a store found down
    await expect(BlockStore.open(remote)).rejects.toBeInstanceOf(StorageUnavailableError);
    store.close();
    // Over HTTP: a tile whose blocks are not cached answers 503 with the error's code, and the server stays up.
    const reference = new BlockStore(local);
    let painted: [number, number] | undefined;
    for (let i = 0; i < 64 && !painted; i++) {
      const [x, y] = [623 * 8 + (i % 8), 1097 * 8 + Math.floor(i / 8)];
      if (rasterTilePng(reference, 14, x, y, { fromYear: 2001, toYear: 2030, threshold: 0 })) painted = [x, y];
    }
    reference.close();
    expect(painted).toBeDefined();
    const res = await fetch(`${app!.baseUrl}/tiles/rasters/amw_bucket/14/${painted![0]}/${painted![1]}.png`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
    expect((await fetch(`${app!.baseUrl}/api/health`)).status).toBe(200);
  }, 120_000);
});
