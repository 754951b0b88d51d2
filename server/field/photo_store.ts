// Where photo files live: on disk under ATALAYA_DATA_DIR/field-photos/<report>/<photo>.jpg, or in
// S3-compatible object storage (ATALAYA_PHOTO_STORE=s3://bucket/prefix; endpoint and credentials
// from the usual AWS variables) when several servers share the photos. On disk a photo is written
// to a temporary name and renamed, so a reader never sees half a file; an object store's PUT is
// atomic by itself. Either way the file is written before its row, and removed when the row fails.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { parseS3Url, s3ClientFromEnv, s3Key } from '../util/s3';

export interface PhotoStore {
  put(reportId: string, photoId: string, bytes: Buffer): Promise<void>;
  read(reportId: string, photoId: string): Promise<Buffer>;
  remove(reportId: string, photoId: string): Promise<void>;
}

const UUID = /^[0-9a-f-]{36}$/i;

/** `<report>/<photo>.jpg`: both are UUIDs checked by the API, checked again here because they become a path or key. */
function keyOf(reportId: string, photoId: string): string {
  if (!UUID.test(reportId) || !UUID.test(photoId)) throw new Error('Photo ids must be UUIDs.');
  return `${reportId.toLowerCase()}/${photoId.toLowerCase()}.jpg`;
}

export function diskPhotoStore(dataDir: string): PhotoStore {
  const root = join(dataDir, 'field-photos');
  const pathOf = (reportId: string, photoId: string) => join(root, keyOf(reportId, photoId));
  return {
    async put(reportId, photoId, bytes) {
      const file = pathOf(reportId, photoId);
      await mkdir(join(root, reportId.toLowerCase()), { recursive: true });
      const part = `${file}.${randomUUID()}.part`;
      await writeFile(part, bytes);
      await rename(part, file);
    },
    read: (reportId, photoId) => readFile(pathOf(reportId, photoId)),
    async remove(reportId, photoId) {
      await rm(pathOf(reportId, photoId), { force: true });
    },
  };
}

/** s3://bucket/prefix with the endpoint (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL), region and keys from the environment. */
export function s3PhotoStore(url: string, env: Record<string, string | undefined> = process.env): PhotoStore {
  const location = parseS3Url(url, 'ATALAYA_PHOTO_STORE');
  const bucket = location.bucket;
  const client = s3ClientFromEnv(env);
  const key = (reportId: string, photoId: string) => s3Key(location, keyOf(reportId, photoId));
  return {
    async put(reportId, photoId, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key(reportId, photoId), Body: bytes, ContentType: 'image/jpeg' }));
    },
    async read(reportId, photoId) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key(reportId, photoId) }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    async remove(reportId, photoId) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key(reportId, photoId) }));
    },
  };
}

/** The store the configuration names: s3://... or, by default, the data folder. */
export function photoStoreFor(config: { dataDir: string; photoStore: string | undefined }): PhotoStore {
  return config.photoStore ? s3PhotoStore(config.photoStore) : diskPhotoStore(config.dataDir);
}
