// Takes a package from the server onto the device: waits for its build (the job's progress), then
// downloads the archive in ranges (at most 1 MiB, at least eight steps so progress moves) into
// storage, resuming after the last stored byte when the connection drops or the app is closed (the
// drawer lists the unfinished download on the next start), and checks it against the server's
// SHA-256 at the end.
import type { AreaPackage, PackageRequest } from '@atalaya/api';
import { fetchPackage, fetchPackageJob, requestPackage } from '../api/packages';
import { completePackage, notePending, resumeOffset, writePart, type StoredPackage } from './package_store';

const MAX_CHUNK = 1 << 20;
const MIN_CHUNK = 16 << 10;
const RETRIES = 5;

export type DownloadProgress = { phase: 'building'; done: number; total: number } | { phase: 'downloading'; done: number; total: number } | { phase: 'checking' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks for the package, follows its build, and stores it. */
export async function takeOffline(r: PackageRequest, progress: (p: DownloadProgress) => void, started: (id: number) => void = () => undefined, signal?: AbortSignal): Promise<StoredPackage> {
  const p = await requestPackage(r);
  await notePending(p);
  started(p.id);
  return finishDownload(p.id, progress, signal);
}

/** Follows the build of a package the device asked for (again, after a restart), and stores it. */
export async function finishDownload(id: number, progress: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<StoredPackage> {
  let p = await fetchPackage(id);
  while (p.status === 'building') {
    signal?.throwIfAborted();
    if (p.job_id !== null) {
      const job = await fetchPackageJob(p.job_id);
      progress({ phase: 'building', done: job.done, total: Math.max(1, job.total) });
      if (job.status === 'failed') throw new Error(job.message ?? 'build failed');
    }
    await sleep(500);
    p = await fetchPackage(p.id);
  }
  if (p.status === 'failed') throw new Error(p.message ?? 'build failed');
  return downloadPackage(p, progress, signal);
}

/** Downloads a ready package (again, or the rest of a cut download). */
async function downloadPackage(p: AreaPackage, progress: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<StoredPackage> {
  if (!p.archive_url || !p.json_url || p.bytes === null) throw new Error('not ready');
  const total = p.bytes;
  const chunk = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.ceil(total / 8)));
  let offset = await resumeOffset(p);
  if (offset > 0) progress({ phase: 'downloading', done: offset, total });
  let failures = 0;
  while (offset < total) {
    signal?.throwIfAborted();
    const end = Math.min(total, offset + chunk) - 1;
    try {
      const res = await fetch(p.archive_url, { headers: { Range: `bytes=${offset}-${end}` }, ...(signal ? { signal } : {}) });
      if (res.status !== 206) throw new Error(`HTTP ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length !== end - offset + 1) throw new Error('short range');
      await writePart(p.id, offset, bytes);
      offset += bytes.length;
      failures = 0;
      progress({ phase: 'downloading', done: offset, total });
    } catch (e) {
      if (signal?.aborted || ++failures > RETRIES) throw e;
      await sleep(500 * 2 ** failures); // the network in the field comes and goes: back off, then go on from the same byte
    }
  }
  progress({ phase: 'checking' });
  const json = await (await fetch(p.json_url, signal ? { signal } : {})).text();
  return completePackage(p, json);
}
