// The signed-in user, and writes on their behalf: the session cookie goes by itself (same origin),
// the CSRF token from sign-in goes in X-CSRF-Token with every change.
import { apiPaths, auditEntrySchema, meSchema, activityListSchema, activitySchema, indicatorListSchema, siteCollectionSchema, type Me } from '@atalaya/api';
import { z } from 'zod';
import { answerOf } from './client';

let me: Me = { user: null, csrfToken: null };

export const currentUser = () => me.user;

export async function refreshSession(): Promise<Me> {
  me = meSchema.parse(await (await fetch(apiPaths.me, { headers: { Accept: 'application/json' } })).json());
  return me;
}

export async function signIn(email: string, password: string): Promise<Me> {
  me = await answerOf(await fetch(apiPaths.login, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) }), meSchema);
  return me;
}

export async function signOut(): Promise<void> {
  await send('POST', apiPaths.logout);
  me = { user: null, csrfToken: null };
}

/** A change as the signed-in user; JSON bodies, a FormData for uploads, or raw bytes (a Blob, sent with its type). */
export async function send<T = unknown>(method: 'POST', path: string, body?: unknown, schema?: z.ZodType<T>): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(me.csrfToken ? { 'X-CSRF-Token': me.csrfToken } : {}) };
  const init: RequestInit = { method, headers };
  if (body instanceof FormData) init.body = body;
  else if (body instanceof Blob) {
    headers['Content-Type'] = body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return answerOf(await fetch(path, init), schema);
}

const get = async <T>(path: string, schema: z.ZodType<T>) => answerOf(await fetch(path, { headers: { Accept: 'application/json' } }), schema);

export const myActivities = () => get(apiPaths.manageActivities, activityListSchema);
export const myActivity = (id: number) => get(apiPaths.manageActivity(id), activitySchema);
export const myActivityIndicators = (id: number) => get(apiPaths.manageActivityIndicators(id), indicatorListSchema);
export const myActivitySites = (id: number) => get(apiPaths.manageActivitySites(id), siteCollectionSchema);
export const historyOf = (table: string, id: number) => get(`${apiPaths.audit}?table=${table}&id=${id}&limit=50`, z.array(auditEntrySchema));

/** Field messages from a 400 answer ("Invalid body: title: title is required; code: ..."). */
export function fieldErrors(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of message.replace(/^Invalid [^:]+: /, '').split('; ')) {
    const m = /^([A-Za-z_]+)(?:\.\d+)?: (.+)$/.exec(part);
    if (m) out[m[1]!] ??= m[2]!;
  }
  return out;
}
