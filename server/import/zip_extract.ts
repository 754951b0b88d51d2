// Safe extraction of uploaded zips: names checked against path traversal, sizes checked against
// what the central directory declares *and* against the bytes actually inflated (a zip bomb can lie).
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { ImportError } from './types';

export interface ZipLimits {
  /** Total bytes all entries may inflate to. */
  maxTotalBytes: number;
  maxEntries: number;
  /** Inflated/compressed ratio above which an entry larger than 10 MB is refused as a bomb. */
  maxRatio: number;
}

export const defaultZipLimits: ZipLimits = { maxTotalBytes: 4 * 1024 ** 3, maxEntries: 1000, maxRatio: 200 };

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (err, zip) =>
      err ? reject(err) : resolve(zip!),
    ),
  );
}

/** Extracts `file` into `dir` (flattening folders) and returns the extracted file names. */
export async function extractZip(file: string, dir: string, limits: ZipLimits = defaultZipLimits): Promise<string[]> {
  const name = path.basename(file);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (e) {
    throw new ImportError(`${name} is not a readable zip file (${(e as Error).message}); it may be truncated or corrupt. Zip the files again.`);
  }
  const written: string[] = [];
  let total = 0;
  let entries = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: Error) => reject(new ImportError(`${name} is corrupt: ${e.message}. Zip the files again.`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          entries++;
          if (entries > limits.maxEntries) throw new ImportError(`${name} has more than ${limits.maxEntries} entries; a layer needs only its .shp, .shx, .dbf, .prj and .cpg.`);
          const entryName = entry.fileName;
          if (entryName.endsWith('/')) return;
          if (path.isAbsolute(entryName) || entryName.split(/[\\/]/).includes('..')) {
            throw new ImportError(`${name} contains an unsafe path "${entryName}"; refusing to extract it.`);
          }
          const base = path.basename(entryName);
          if (base.startsWith('.') || entryName.startsWith('__MACOSX')) return; // macOS resource forks
          const declared = entry.uncompressedSize;
          if (declared > 10 * 1024 ** 2 && declared / Math.max(1, entry.compressedSize) > limits.maxRatio) {
            throw new ImportError(`${name}: ${entryName} would inflate ${Math.round(declared / Math.max(1, entry.compressedSize))}-fold to ${declared} bytes; this looks like a zip bomb and is refused.`);
          }
          if (total + declared > limits.maxTotalBytes) {
            throw new ImportError(`${name} would inflate to more than ${limits.maxTotalBytes} bytes; split the layer or raise the limit.`);
          }
          const stream = await new Promise<NodeJS.ReadableStream>((res, rej) => zip.openReadStream(entry, (e, s) => (e ? rej(e) : res(s!))));
          const limiter = new Transform({
            transform(chunk: Buffer, _enc, done) {
              total += chunk.length;
              if (total > limits.maxTotalBytes) done(new ImportError(`${name} inflates to more than ${limits.maxTotalBytes} bytes; refused.`));
              else done(null, chunk);
            },
          });
          const out = path.join(dir, base);
          await pipeline(stream, limiter, fs.createWriteStream(out));
          written.push(base);
        })().then(
          () => zip.readEntry(),
          (e: unknown) => reject(e instanceof ImportError ? e : new ImportError(`${name} could not be extracted: ${(e as Error).message}. It may be truncated or corrupt.`)),
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return written;
}
