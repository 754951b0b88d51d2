// Field reports waiting on this device: kept in IndexedDB (through idb, a small kept wrapper), so
// they survive closing the app, a reload and a phone restart, with their photos as Blobs. Each
// entry moves pending -> sent, or -> refused with the server's reason; a report with photos is sent
// only when every photo is.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FieldReportInput } from '@atalaya/api';

export interface QueuedPhoto {
  id: string;
  blob: Blob;
  taken_at: string;
  lon: number | null;
  lat: number | null;
  sent: boolean;
}

export type QueueState = 'pending' | 'sent' | 'refused';

export interface QueuedReport {
  id: string;
  input: FieldReportInput;
  photos: QueuedPhoto[];
  /** What the list names it by, in any language: the alert's date, or the site's name. */
  about: { alert_date?: string; site_name?: string };
  state: QueueState;
  reason: string | null;
  attempts: number;
  /** Not before this time (ms): the back-off after a failed attempt. */
  next_try_at: number;
  created_at: string;
  sent_at: string | null;
}

interface FieldDb extends DBSchema {
  reports: { key: string; value: QueuedReport; indexes: { by_created: string } };
}

let opened: Promise<IDBPDatabase<FieldDb>> | undefined;
const db = () =>
  (opened ??= openDB<FieldDb>('atalaya-field', 1, {
    upgrade(d) {
      d.createObjectStore('reports', { keyPath: 'id' }).createIndex('by_created', 'created_at');
    },
  }));

export async function queueReport(input: FieldReportInput, photos: Omit<QueuedPhoto, 'sent'>[], about: QueuedReport['about']): Promise<QueuedReport> {
  const entry: QueuedReport = { id: input.id, input, photos: photos.map((p) => ({ ...p, sent: false })), about, state: 'pending', reason: null, attempts: 0, next_try_at: 0, created_at: new Date().toISOString(), sent_at: null };
  await (await db()).put('reports', entry);
  notify();
  return entry;
}

/** Every report on the device, oldest first (the order they are sent in). */
export async function queuedReports(): Promise<QueuedReport[]> {
  return (await db()).getAllFromIndex('reports', 'by_created');
}

export async function updateReport(id: string, change: (r: QueuedReport) => void): Promise<void> {
  const d = await db();
  const tx = d.transaction('reports', 'readwrite');
  const r = await tx.store.get(id);
  if (r) {
    change(r);
    await tx.store.put(r);
  }
  await tx.done;
  notify();
}

export async function forgetReport(id: string): Promise<void> {
  await (await db()).delete('reports', id);
  notify();
}

const listeners = new Set<() => void>();
/** Called after every change of the queue (the list redraws). */
export function onQueueChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
function notify(): void {
  for (const f of listeners) f();
}
