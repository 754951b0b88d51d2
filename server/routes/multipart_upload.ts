// Receives one multipart file into a temporary file with a hard size limit, plus the text fields.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, BadRequestError } from '../errors';

export interface Upload {
  fields: Record<string, string>;
  file: { path: string; originalName: string; bytes: number };
  cleanup(): void;
}

export function receiveUpload(req: Request, maxBytes: number): Promise<Upload> {
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
    let file: Upload['file'] | undefined;
    let failure: Error | undefined;
    let writing: Promise<void> = Promise.resolve();
    const bb = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 40, fieldSize: 10_000 } });
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      // Only the base name is kept: the client's path never reaches the file system.
      const originalName = path.basename(info.filename || 'upload').replace(/[^\w.\-() ]+/g, '_').slice(0, 200) || 'upload';
      const target = path.join(dir, `upload${path.extname(originalName).slice(0, 12)}`);
      let bytes = 0;
      stream.on('data', (c: Buffer) => (bytes += c.length));
      stream.on('limit', () => (failure = tooLarge(maxBytes)));
      writing = new Promise((res, rej) => stream.pipe(fs.createWriteStream(target)).on('finish', () => res()).on('error', rej));
      file = { path: target, originalName, bytes };
      stream.on('end', () => file && (file.bytes = bytes));
    });
    bb.on('error', (e: Error) => {
      cleanup();
      reject(new BadRequestError(`Malformed multipart upload: ${e.message}`));
    });
    bb.on('close', () => {
      writing.then(
        () => {
          if (failure) {
            cleanup();
            reject(failure);
          } else if (!file) {
            cleanup();
            reject(new BadRequestError('No file in the upload: send it in a multipart field named "file".'));
          } else resolve({ fields, file, cleanup });
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
