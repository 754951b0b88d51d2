// One file over HTTP into a local path, as a weekly job needs it: not again when unchanged (ETag /
// Last-Modified, answered 304), resumed where a broken connection stopped (Range + If-Range, so a
// file that changed meanwhile starts over), checked against the announced length, and hashed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { get, HttpError, withRetries, type HttpOptions } from './http_client';

/** What the last download of a URL left: sent back as validators, kept with the data. */
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export interface Downloaded {
  status: 'downloaded' | 'not_modified';
  path: string;
  etag: string | null;
  lastModified: string | null;
  sha256: string;
  bytes: number;
  /** How many times the body was resumed from where it broke. */
  resumed: number;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Downloads `url` to `target` (written as `target.part`, renamed when whole). With `previous`
 * validators and `target` present, an unchanged file is a 304 and is not read again.
 */
export async function downloadFile(url: string, target: string, previous: Validators = {}, options: HttpOptions = {}): Promise<Downloaded> {
  const part = `${target}.part`;
  let validator: string | undefined;
  let resumed = 0;
  let total: number | undefined;
  const conditional: Record<string, string> = {};
  if (fs.existsSync(target)) {
    if (previous.etag) conditional['if-none-match'] = previous.etag;
    if (previous.lastModified) conditional['if-modified-since'] = previous.lastModified;
  }
  const result = await withRetries(url, options, async () => {
    const have = validator && fs.existsSync(part) ? fs.statSync(part).size : 0;
    const headers: Record<string, string> = { ...options.headers, ...(have > 0 ? { range: `bytes=${have}-`, 'if-range': validator! } : conditional) };
    const res = await get(url, { ...options, headers }, (s) => (s >= 200 && s < 300) || s === 304);
    if (res.status === 304) {
      await res.body?.cancel();
      return 'not_modified' as const;
    }
    const etag = res.headers.get('etag');
    const lastModified = res.headers.get('last-modified');
    // A resume is only safe against the same version of the file: a strong ETag, else Last-Modified.
    const strong = etag && !etag.startsWith('W/') ? etag : lastModified ?? undefined;
    let append = false;
    if (res.status === 206 && have > 0) {
      const range = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(res.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== have) throw new HttpError(url, 206, `${url} answered a range that does not continue the partial download (${res.headers.get('content-range')}).`);
      if (range[3] !== '*') total = Number(range[3]);
      append = true;
      resumed++;
    } else {
      const length = res.headers.get('content-length');
      total = length ? Number(length) : undefined;
    }
    validator = strong;
    if (!append) fs.rmSync(part, { force: true });
    if (!res.body) throw new HttpError(url, res.status, `${url} answered without a body.`);
    // Every byte that arrived reaches the part file, also when the body breaks (a pipeline would drop
    // what the file stream still buffered), so the next attempt resumes exactly after it.
    const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w' });
    try {
      for await (const chunk of Readable.fromWeb(res.body as never)) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
    } finally {
      await new Promise<void>((resolve) => out.end(() => resolve()));
    }
    const size = fs.statSync(part).size;
    if (total !== undefined && size < total) throw Object.assign(new Error(`${url}: connection closed after ${size} of ${total} bytes`), { code: 'ECONNRESET' });
    if (total !== undefined && size > total) throw new HttpError(url, 200, `${url}: received ${size} bytes, more than the ${total} announced.`);
    return { etag, lastModified };
  });
  if (result === 'not_modified') {
    return { status: 'not_modified', path: target, etag: previous.etag ?? null, lastModified: previous.lastModified ?? null, sha256: await sha256Of(target), bytes: fs.statSync(target).size, resumed };
  }
  fs.renameSync(part, target);
  return { status: 'downloaded', path: target, etag: result.etag, lastModified: result.lastModified, sha256: await sha256Of(target), bytes: fs.statSync(target).size, resumed };
}
