// The raster store in S3-compatible object storage (ATALAYA_RASTER_STORE=s3://bucket/prefix): each
// layer's COG and meta.json under <prefix>/<layer>/, read with HTTP range requests. The layer's
// folder under the data directory keeps meta.json (naming the object) so that opening a layer stays
// a local read; a node that has not seen the layer yet fetches meta.json first (refreshStoreMeta).
import fs from 'node:fs';
import path from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StorageUnavailableError } from '../../errors';
import { parseS3Url, s3ClientFromEnv, s3Key, type S3Location } from '../../util/s3';

export interface RasterObjects {
  readonly location: S3Location;
  readonly client: S3Client;
}

let configured: RasterObjects | null | undefined;

/**
 * The object store ATALAYA_RASTER_STORE names, or null for the local folder. Read from the
 * environment (not passed down) because worker threads and worker processes open stores too.
 */
export function rasterObjects(): RasterObjects | null {
  if (configured !== undefined) return configured;
  const url = process.env.ATALAYA_RASTER_STORE;
  configured = url ? { location: parseS3Url(url, 'ATALAYA_RASTER_STORE'), client: s3ClientFromEnv() } : null;
  return configured;
}

/** Forgets the configuration read (tests switching between stores in one process). */
export function resetRasterObjects(): void {
  configured?.client.destroy();
  configured = undefined;
}

/** The object key of `file` of the layer whose folder is `dir`: <prefix>/<layer>/<file>. */
export function objectKey(objects: RasterObjects, dir: string, file: string): string {
  return s3Key(objects.location, `${path.basename(dir)}/${file}`);
}

/** `length` bytes at `offset`; fewer only with `upToEnd` (a read of the header that may pass the object's end). */
export async function readRange(objects: RasterObjects, key: string, offset: number, length: number, upToEnd = false): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const out = await objects.client.send(new GetObjectCommand({ Bucket: objects.location.bucket, Key: key, Range: `bytes=${offset}-${offset + length - 1}` }));
    bytes = Buffer.from(await out.Body!.transformToByteArray());
  } catch (e) {
    throw new StorageUnavailableError(`reading ${key}: ${(e as Error).message}`, { cause: e });
  }
  if (bytes.length !== length && !(upToEnd && bytes.length < length)) throw new Error(`${key}: asked for ${length} bytes at ${offset}, got ${bytes.length}`);
  return bytes;
}

export async function getText(objects: RasterObjects, key: string): Promise<string | undefined> {
  try {
    const out = await objects.client.send(new GetObjectCommand({ Bucket: objects.location.bucket, Key: key }));
    return await out.Body!.transformToString('utf8');
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
    throw e;
  }
}

export async function putText(objects: RasterObjects, key: string, text: string): Promise<void> {
  await objects.client.send(new PutObjectCommand({ Bucket: objects.location.bucket, Key: key, Body: text, ContentType: 'application/json' }));
}

/** Deletes the objects under the layer's prefix that `keep` does not name (superseded generations). */
export async function deleteOtherObjects(objects: RasterObjects, dir: string, keep: string[]): Promise<void> {
  const prefix = objectKey(objects, dir, '');
  const keys = new Set(keep.map((f) => objectKey(objects, dir, f)));
  const listed = await objects.client.send(new ListObjectsV2Command({ Bucket: objects.location.bucket, Prefix: prefix }));
  const stale = (listed.Contents ?? []).map((o) => o.Key!).filter((k) => !keys.has(k) && !k.slice(prefix.length).includes('/'));
  if (stale.length) await objects.client.send(new DeleteObjectsCommand({ Bucket: objects.location.bucket, Delete: { Objects: stale.map((Key) => ({ Key })) } }));
}

/**
 * Makes the folder's meta.json the object store's (a layer ingested or updated by another node).
 * Returns whether the folder now has one. A no-op on the local store.
 */
export async function refreshStoreMeta(dir: string): Promise<boolean> {
  const objects = rasterObjects();
  const local = path.join(dir, 'meta.json');
  if (!objects) return fs.existsSync(local);
  const remote = await getText(objects, objectKey(objects, dir, 'meta.json'));
  if (remote === undefined) return fs.existsSync(local); // not published (yet): what this node wrote, if anything
  const current = fs.existsSync(local) ? fs.readFileSync(local, 'utf8') : undefined;
  // A store this node wrote and has not published yet (publishStore resumes it) is newer than the object store's.
  if (current !== undefined && !(JSON.parse(current) as { remote?: string }).remote) return true;
  if (current !== remote) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${local}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, remote);
    fs.renameSync(tmp, local);
  }
  return true;
}
