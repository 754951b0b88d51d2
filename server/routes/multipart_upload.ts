// Receives one multipart file into a temporary file with a hard size limit, plus the text fields.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, BadRequestError } from '../errors';

export interface UploadedFile {
  path: string;
  originalName: string;
  bytes: number;
}

export interface Upload {
  fields: Record<string, string>;
  /** The first file (most endpoints take one). */
  file: UploadedFile;
  files: UploadedFile[];
  cleanup(): void;
}

/** Receives up to `maxFiles` files (fields named "file"), `maxBytes` in all, into a temporary folder. */
export function receiveUpload(req: Request, maxBytes: number, maxFiles = 1): Promise<Upload> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    return Promise.reject(new AppError('unsupported_media_type', 'Send the file as multipart/form-data with the file in a field named "file".'));
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes + 64 * 1024) {
    return Promise.reject(tooLarge(maxBytes));
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-upload-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  return new Promise<Upload>((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: UploadedFile[] = [];
    let failure: Error | undefined;
    let total = 0;
    const writes: Promise<void>[] = [];
    const bb = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: maxFiles, fields: 40, fieldSize: 10_000 } });
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      // Only the base name is kept: the client's path never reaches the file system.
      const originalName = path.basename(info.filename || 'upload').replace(/[^\w.\-() ]+/g, '_').slice(0, 200) || 'upload';
      // Stored under its own name (in a folder of its own), so every message about it names the user's file.
      const folder = path.join(dir, String(files.length));
      fs.mkdirSync(folder);
      const target = path.join(folder, originalName === '.' || originalName === '..' ? 'upload' : originalName);
      const file: UploadedFile = { path: target, originalName, bytes: 0 };
      files.push(file);
      stream.on('data', (c: Buffer) => {
        file.bytes += c.length;
        total += c.length;
        if (total > maxBytes && !failure) {
          failure = tooLarge(maxBytes);
          stream.resume();
        }
      });
      stream.on('limit', () => (failure = tooLarge(maxBytes)));
      writes.push(new Promise((res, rej) => stream.pipe(fs.createWriteStream(target)).on('finish', () => res()).on('error', rej)));
    });
    bb.on('error', (e: Error) => {
      cleanup();
      reject(new BadRequestError(`Malformed multipart upload: ${e.message}`));
    });
    bb.on('close', () => {
      Promise.all(writes).then(
        () => {
          if (failure) {
            cleanup();
            reject(failure);
          } else if (files.length === 0) {
            cleanup();
            reject(new BadRequestError('No file in the upload: send it in a multipart field named "file".'));
          } else resolve({ fields, file: files[0]!, files, cleanup });
        },
        (e: Error) => {
          cleanup();
          reject(e);
        },
      );
    });
    req.pipe(bb);
  });
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The upload is larger than ${Math.round(maxBytes / 1024 / 1024)} MB (ATALAYA_MAX_UPLOAD_MB); split the layer or import it with \`npm run import\` on the server.`);
}
