// Uploads a store's COG (hundreds of MB to GB for a Hansen tile) to the object store as a multipart
// upload that survives the process: the upload id and each finished part's ETag are kept in a file
// beside the COG, so a second call (after a crash or a lost connection) sends only the parts still
// missing. The S3 API could list the parts itself (ListParts), but not every S3-compatible server
// implements it (s3rver does not), and the local record costs one small file.
import fs from 'node:fs';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import type { RasterObjects } from './raster_objects';

/** S3's minimum part is 5 MiB (except the last); 16 MiB keeps a 40,000 x 40,000 layer well under the 10,000-part limit. */
export const PART_BYTES = 16 << 20;

interface UploadState {
  key: string;
  size: number;
  mtimeMs: number;
  uploadId: string;
  parts: { PartNumber: number; ETag: string }[];
}

export interface UploadOptions {
  partBytes?: number;
  /** Stops after this many parts were sent in this call (tests of an interrupted upload). */
  stopAfterParts?: number;
}

/** Sends `file` to `key`; returns how many parts this call sent. */
export async function uploadResumable(objects: RasterObjects, file: string, key: string, options: UploadOptions = {}): Promise<{ sent: number; parts: number }> {
  const partBytes = options.partBytes ?? PART_BYTES;
  const stat = fs.statSync(file);
  const stateFile = `${file}.upload.json`;
  const Bucket = objects.location.bucket;
  let state = readState(stateFile);
  // A record of another file (rewritten since) or another key starts over.
  if (state && (state.key !== key || state.size !== stat.size || state.mtimeMs !== stat.mtimeMs)) {
    await objects.client.send(new AbortMultipartUploadCommand({ Bucket, Key: state.key, UploadId: state.uploadId })).catch(() => undefined);
    state = undefined;
  }
  if (!state) {
    const created = await objects.client.send(new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: 'image/tiff' }));
    state = { key, size: stat.size, mtimeMs: stat.mtimeMs, uploadId: created.UploadId!, parts: [] };
    writeState(stateFile, state);
  }
  const total = Math.max(1, Math.ceil(stat.size / partBytes));
  const done = new Set(state.parts.map((p) => p.PartNumber));
  let sent = 0;
  const fd = fs.openSync(file, 'r');
  try {
    for (let n = 1; n <= total; n++) {
      if (done.has(n)) continue;
      if (options.stopAfterParts !== undefined && sent >= options.stopAfterParts) return { sent, parts: total };
      const start = (n - 1) * partBytes;
      const body = Buffer.allocUnsafe(Math.min(partBytes, stat.size - start));
      fs.readSync(fd, body, 0, body.length, start);
      const out = await objects.client.send(new UploadPartCommand({ Bucket, Key: key, UploadId: state.uploadId, PartNumber: n, Body: body }));
      state.parts.push({ PartNumber: n, ETag: out.ETag! });
      writeState(stateFile, state);
      sent++;
    }
  } finally {
    fs.closeSync(fd);
  }
  state.parts.sort((a, b) => a.PartNumber - b.PartNumber);
  await objects.client.send(new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId: state.uploadId, MultipartUpload: { Parts: state.parts } }));
  fs.rmSync(stateFile, { force: true });
  return { sent, parts: total };
}

function readState(file: string): UploadState | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as UploadState;
  } catch {
    return undefined; // none, or half-written by a crash: start over
  }
}

function writeState(file: string, state: UploadState): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state));
  fs.renameSync(`${file}.tmp`, file);
}
