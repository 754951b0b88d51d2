// Sends the queue when the server can be reached: oldest first, one at a time, each report and then
// its photos. The server stores a report once per UUID, so a report whose answer was lost (the
// connection dropped after the server stored it) is simply sent again. A refusal (4xx: the report
// cannot be kept as it is) marks that report refused with the server's reason and the rest go on;
// a network failure or a 5xx/429 stops the round and backs off (5 s doubling, at most 10 minutes).
import { apiPaths } from '@atalaya/api';
import { ApiError } from '../api/client';
import { currentUser, refreshSession, send } from '../api/session';
import { queuedReports, updateReport, type QueuedReport } from './report_queue';

const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 10 * 60_000;
let running: Promise<SyncResult> | undefined;

export interface SyncResult {
  sent: number;
  refused: number;
  pending: number;
  /** Why the round stopped early: no network, not signed in. */
  stopped: 'offline' | 'signed-out' | null;
}

const retryable = (e: unknown) => !(e instanceof ApiError) || e.status >= 500 || e.status === 429 || e.status === 408;

async function sendPhoto(r: QueuedReport, i: number): Promise<void> {
  const p = r.photos[i]!;
  const q = new URLSearchParams({ taken_at: p.taken_at, ...(p.lon !== null && p.lat !== null ? { lon: String(p.lon), lat: String(p.lat) } : {}) });
  await send('POST', `${apiPaths.fieldReportPhoto(r.id, p.id)}?${q}`, p.blob);
  await updateReport(r.id, (x) => (x.photos[i]!.sent = true));
}

/** Asks the server who is signed in when the page does not know (an app started offline, a session ended). */
let stale = true;
async function ensureSignedIn(): Promise<void> {
  if (stale || !currentUser()) await refreshSession();
  stale = false;
  if (!currentUser()) throw new SignedOut();
}
class SignedOut extends Error {}

async function sendOne(r: QueuedReport): Promise<void> {
  await ensureSignedIn();
  await send('POST', apiPaths.fieldReports, r.input);
  for (let i = 0; i < r.photos.length; i++) if (!r.photos[i]!.sent) await sendPhoto(r, i);
  await updateReport(r.id, (x) => {
    x.state = 'sent';
    x.sent_at = new Date().toISOString();
    x.reason = null;
  });
}

async function round(force: boolean): Promise<SyncResult> {
  const out: SyncResult = { sent: 0, refused: 0, pending: 0, stopped: null };
  const now = Date.now();
  // The device knows it has no network: nothing to try (and no attempt to count against the back-off).
  if (!navigator.onLine) out.stopped = 'offline';
  for (const r of await queuedReports()) {
    if (r.state !== 'pending') continue;
    if (out.stopped || (!force && r.next_try_at > now)) {
      out.pending++;
      continue;
    }
    try {
      await sendOne(r);
      out.sent++;
    } catch (e) {
      // The session ended (401): not the report's fault; it waits until the user signs in again.
      if (e instanceof SignedOut || (e instanceof ApiError && e.status === 401)) {
        stale = true;
        out.stopped = 'signed-out';
        out.pending++;
      } else if (retryable(e)) {
        out.stopped = 'offline';
        out.pending++;
        await updateReport(r.id, (x) => {
          x.attempts += 1;
          x.next_try_at = Date.now() + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (x.attempts - 1));
          // A server's answer (503 ...) is worth showing; a failed fetch is only "will try again".
          x.reason = e instanceof ApiError ? e.message : null;
        });
      } else {
        out.refused++;
        await updateReport(r.id, (x) => {
          x.state = 'refused';
          x.reason = (e as Error).message;
        });
      }
    }
  }
  return out;
}

/** One round over the queue (never two at once); `force` ignores the back-off (the "Send now" button). */
export function syncReports(force = false): Promise<SyncResult> {
  running ??= round(force).finally(() => (running = undefined));
  return running;
}

/** Sends when the network comes back, at start, and every 30 s while reports wait. */
export function startReportSync(): void {
  window.addEventListener('online', () => {
    stale = true;
    void syncReports(true);
  });
  void syncReports();
  setInterval(() => void syncReports(), 30_000);
}
