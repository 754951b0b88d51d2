import fs from 'node:fs';
import { Transform } from 'node:stream';

/** A read stream of `file` that counts the bytes it has passed on, for progress reporting. */
export function countingReadStream(file: string): { stream: NodeJS.ReadableStream; read: () => number; total: number } {
  const total = fs.statSync(file).size;
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      done(null, chunk);
    },
  });
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 }).on('error', (e) => counter.destroy(e)).pipe(counter);
  return { stream, read: () => read, total };
}
