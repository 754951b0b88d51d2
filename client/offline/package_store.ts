// Offline packages on this device, in the origin private file system (OPFS): the archive as a file
// the pmtiles reader reads by byte ranges without loading it whole, its JSON, and a small record of
// what it is. A download goes to `<id>.pmtiles.part` and is renamed only once whole and checked, so a
// package listed here is always complete. From the request on, `<id>.pending.json` says a download
// is under way, so one cut by closing the app is listed on the next start and resumes from the part's
// length (the server keeps the package's archive, and its checksum says whether it is still the same).
import type { AreaPackage } from '@atalaya/api';

const DIR = 'atalaya-packages';

/** What the device keeps about a package it holds. */
export interface StoredPackage {
  package: AreaPackage;
  /** Server it came from: packages of another server are not mixed up with this one's. */
  origin: string;
  stored_at: string;
  bytes: number;
  /** From the JSON: what the field screens list. */
  counts: { alerts: number; sites: number; areas: number; activities: number };
  alerts_to: string | null;
  /** Who made each layer, with its licence, and which are synthetic demo data. */
  sources: string[];
}

export function offlineStorageAvailable(): boolean {
  return typeof navigator !== 'undefined' && 'storage' in navigator && typeof navigator.storage.getDirectory === 'function';
}

async function dir(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(DIR, { create: true });
}

async function fileIfAny(d: FileSystemDirectoryHandle, name: string): Promise<FileSystemFileHandle | undefined> {
  try {
    return await d.getFileHandle(name);
  } catch {
    return undefined;
  }
}

const archiveName = (id: number) => `${id}.pmtiles`;
const partName = (id: number) => `${id}.pmtiles.part`;
const jsonName = (id: number) => `${id}.json`;
const recordName = (id: number) => `${id}.record.json`;
const pendingName = (id: number) => `${id}.pending.json`;

/** A download not finished yet: asked for (maybe still being built) or cut part way. */
export interface UnfinishedDownload {
  package: AreaPackage;
  origin: string;
  started_at: string;
  /** The checksum of the archive the part holds the start of (null until the download began). */
  archive_sha256: string | null;
  /** Bytes of the archive on the device so far. */
  bytes: number;
}

/** Bytes of an unfinished download of this package (0 if none). */
export async function partialBytes(id: number): Promise<number> {
  const h = await fileIfAny(await dir(), partName(id));
  return h ? (await h.getFile()).size : 0;
}

/** Appends bytes at `offset` of the package's part file. */
export async function writePart(id: number, offset: number, bytes: Uint8Array): Promise<void> {
  const h = await (await dir()).getFileHandle(partName(id), { create: true });
  const w = await h.createWritable({ keepExistingData: true });
  try {
    await w.write({ type: 'write', position: offset, data: bytes as Uint8Array<ArrayBuffer> });
  } finally {
    await w.close();
  }
}

export async function discardPart(id: number): Promise<void> {
  const d = await dir();
  for (const name of [partName(id), pendingName(id)]) await d.removeEntry(name).catch(() => undefined);
}

/** Notes, as soon as the server took the request, that this package is on its way to the device. */
export async function notePending(p: AreaPackage): Promise<void> {
  const d = await dir();
  const before = await readJson<UnfinishedDownload>(d, pendingName(p.id));
  await writeText(d, pendingName(p.id), JSON.stringify({ package: p, origin: location.origin, started_at: before?.started_at ?? new Date().toISOString(), archive_sha256: before?.archive_sha256 ?? null }));
}

/**
 * Where the download of a ready package starts: after the bytes already on the device when they are
 * the start of the same archive, else at 0 (a part of another build of the package is dropped).
 */
export async function resumeOffset(p: AreaPackage): Promise<number> {
  const d = await dir();
  const before = await readJson<UnfinishedDownload>(d, pendingName(p.id));
  const same = before?.archive_sha256 !== undefined && before.archive_sha256 !== null && before.archive_sha256 === p.sha256;
  if (!same) await d.removeEntry(partName(p.id)).catch(() => undefined);
  await writeText(d, pendingName(p.id), JSON.stringify({ package: p, origin: location.origin, started_at: before?.started_at ?? new Date().toISOString(), archive_sha256: p.sha256 }));
  return same ? partialBytes(p.id) : 0;
}

/** Downloads of this server's packages that were asked for or begun and not finished, oldest first. */
export async function unfinishedDownloads(): Promise<UnfinishedDownload[]> {
  if (!offlineStorageAvailable()) return [];
  const d = await dir();
  const out: UnfinishedDownload[] = [];
  for (const r of await jsonFilesEnding<Omit<UnfinishedDownload, 'bytes'>>(d, '.pending.json')) {
    if (r.origin === location.origin && !(await fileIfAny(d, recordName(r.package.id)))) out.push({ ...r, bytes: await partialBytes(r.package.id) });
  }
  return out.sort((a, b) => (a.started_at < b.started_at ? -1 : 1));
}

/** Every readable JSON file of the folder whose name ends so. */
async function jsonFilesEnding<T>(d: FileSystemDirectoryHandle, suffix: string): Promise<T[]> {
  const out: T[] = [];
  for await (const [name, handle] of entries(d)) {
    if (!name.endsWith(suffix) || handle.kind !== 'file') continue;
    const r = await readJson<T>(d, name);
    if (r) out.push(r);
  }
  return out;
}

async function readJson<T>(d: FileSystemDirectoryHandle, name: string): Promise<T | undefined> {
  const h = await fileIfAny(d, name);
  if (!h) return undefined;
  try {
    return JSON.parse(await (await h.getFile()).text()) as T;
  } catch {
    return undefined; // being written, or cut while written: as if absent
  }
}

const entries = (d: FileSystemDirectoryHandle) => (d as FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries();

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Checks the part against the server's checksum, then makes it the package with its JSON and record. */
export async function completePackage(p: AreaPackage, json: string): Promise<StoredPackage> {
  const d = await dir();
  const part = await d.getFileHandle(partName(p.id));
  const file = await part.getFile();
  if (p.sha256 && (await sha256Hex(file)) !== p.sha256) {
    await discardPart(p.id);
    throw new Error('checksum');
  }
  const content = JSON.parse(json) as { alerts: { points: unknown[]; to: string } | null; sites: { items: unknown[] }; areas: { items: unknown[] }; activities: unknown[]; attribution: { source: string; licence: string | null; synthetic: boolean }[] };
  const record: StoredPackage = {
    package: p,
    origin: location.origin,
    stored_at: new Date().toISOString(),
    bytes: file.size,
    counts: { alerts: content.alerts?.points.length ?? 0, sites: content.sites.items.length, areas: content.areas.items.length, activities: content.activities.length },
    alerts_to: content.alerts?.to ?? null,
    // Synthetic layers are marked for the drawer to say so in the reader's language (their licence text is the server's English).
    sources: content.attribution.map((a) => (a.synthetic ? `${a.source.replace(/\s*\(synthetic\)$/i, '')} *` : `${a.source}${a.licence ? ` (${a.licence})` : ''}`)),
  };
  await writeText(d, jsonName(p.id), json);
  // Renamed in place (no copy of a large file); the record last, so a package without one is not listed.
  await (part as FileSystemFileHandle & { move(name: string): Promise<void> }).move(archiveName(p.id));
  await writeText(d, recordName(p.id), JSON.stringify(record));
  await d.removeEntry(pendingName(p.id)).catch(() => undefined);
  return record;
}

async function writeText(d: FileSystemDirectoryHandle, name: string, text: string): Promise<void> {
  const w = await (await d.getFileHandle(name, { create: true })).createWritable();
  await w.write(text);
  await w.close();
}

/** Packages held on this device for this server, newest first (a record being written is listed next time). */
export async function storedPackages(): Promise<StoredPackage[]> {
  if (!offlineStorageAvailable()) return [];
  const d = await dir();
  const out: StoredPackage[] = [];
  for (const r of await jsonFilesEnding<StoredPackage>(d, '.record.json')) {
    if (r.origin === location.origin && (await fileIfAny(d, archiveName(r.package.id)))) out.push(r);
  }
  return out.sort((a, b) => (a.stored_at < b.stored_at ? 1 : -1));
}

/** The archive as a File: the pmtiles reader slices it, never reading it whole. */
export async function packageArchive(id: number): Promise<File> {
  return (await (await dir()).getFileHandle(archiveName(id))).getFile();
}

export async function packageJson<T>(id: number): Promise<T> {
  return JSON.parse(await (await (await dir()).getFileHandle(jsonName(id))).getFile().then((f) => f.text())) as T;
}

/** Removes the package and anything half-downloaded of it from the device. */
export async function removeStoredPackage(id: number): Promise<void> {
  const d = await dir();
  for (const name of [recordName(id), archiveName(id), jsonName(id), partName(id), pendingName(id)]) await d.removeEntry(name).catch(() => undefined);
}

/** Used and available bytes of this site's storage, and whether the browser keeps it under pressure. */
export async function storageState(): Promise<{ usage: number; quota: number; persisted: boolean }> {
  const e = await navigator.storage.estimate();
  return { usage: e.usage ?? 0, quota: e.quota ?? 0, persisted: await navigator.storage.persisted() };
}
