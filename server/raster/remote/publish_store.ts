// Moves a store written in its folder to the object store, and back for an in-place rewrite.
// Writing stays local (ingest and overviews are sequential writes into a temporary folder, then one
// rename): publishing uploads the finished COG, then meta.json (readers on every node switch when
// they next read it), then keeps only meta.json in the folder. An interrupted upload resumes on the
// next call, and a server's start publishes what an earlier run left unpublished.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { StoreMeta } from '../block_store';
import { switchMeta } from '../store_pack';
import { deleteOtherObjects, getText, objectKey, putText, rasterObjects } from './raster_objects';
import { uploadResumable, type UploadOptions } from './resumable_upload';

function readMeta(dir: string): StoreMeta {
  return JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as StoreMeta;
}

/**
 * Publishes the store in `dir` when ATALAYA_RASTER_STORE names an object store; returns its meta
 * (unchanged for the local store, or when already published).
 */
export async function publishStore(dir: string, options: UploadOptions = {}): Promise<StoreMeta> {
  const objects = rasterObjects();
  const meta = readMeta(dir);
  if (!objects || meta.remote || !meta.file) return meta;
  const file = path.join(dir, meta.file);
  // Named after the file's write time: a new object for every write (the tile cache is keyed by
  // object and offset), the same one when an interrupted upload of this file resumes.
  const name = `${meta.file.replace(/\.tif$/, '')}.${Math.round(fs.statSync(file).mtimeMs).toString(36)}.tif`;
  const key = objectKey(objects, dir, name);
  await uploadResumable(objects, file, key, options);
  if (options.stopAfterParts !== undefined && fs.existsSync(`${file}.upload.json`)) return meta; // interrupted on purpose (tests)
  const published: StoreMeta = { ...meta, remote: key };
  const before = await previousObject(dir);
  await putText(objects, objectKey(objects, dir, 'meta.json'), JSON.stringify(published, null, 1));
  switchMeta(dir, published);
  fs.rmSync(file, { force: true });
  // The generation before stays a while: another node may have it open until it sees the new meta.json.
  await deleteOtherObjects(objects, dir, ['meta.json', name, ...(before ? [before] : [])]);
  return published;
}

/** The object the store's meta.json in the object store names now (before a publish replaces it). */
async function previousObject(dir: string): Promise<string | undefined> {
  const objects = rasterObjects()!;
  const text = await getText(objects, objectKey(objects, dir, 'meta.json'));
  const remote = text ? (JSON.parse(text) as StoreMeta).remote : undefined;
  return remote ? path.posix.basename(remote) : undefined;
}

/**
 * Brings a published store's COG back into its folder (an in-place alert update copies its
 * unchanged tiles from it); publishStore sends the rewritten one.
 */
export async function copyToFolder(dir: string): Promise<void> {
  const objects = rasterObjects();
  const meta = readMeta(dir);
  if (!objects || !meta.remote || !meta.file) return;
  const out = await objects.client.send(new GetObjectCommand({ Bucket: objects.location.bucket, Key: meta.remote }));
  const tmp = path.join(dir, `${meta.file}.tmp-${process.pid}`);
  await pipeline(out.Body as Readable, fs.createWriteStream(tmp));
  fs.renameSync(tmp, path.join(dir, meta.file));
  const { remote: _remote, ...local } = meta;
  switchMeta(dir, local);
}

/** Publishes every layer store under `rastersDir` left in the folder (a start after an interrupted upload). */
export async function publishPendingStores(rastersDir: string): Promise<string[]> {
  if (!rasterObjects() || !fs.existsSync(rastersDir)) return [];
  const published: string[] = [];
  for (const e of fs.readdirSync(rastersDir, { withFileTypes: true })) {
    const dir = path.join(rastersDir, e.name);
    if (!e.isDirectory() || e.name.includes('.tmp-') || !fs.existsSync(path.join(dir, 'meta.json'))) continue;
    const meta = readMeta(dir);
    if (meta.file && !meta.remote) {
      await publishStore(dir);
      published.push(dir);
    }
  }
  return published;
}
