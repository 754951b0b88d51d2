// When the embedded database is held by a running server, `npm run import` goes through that server's
// HTTP API (with a personal ATALAYA_API_TOKEN) instead of opening the folder a second time.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { runningServerUrl } from './cli';

/** The server's report when the running server did the import; undefined when the CLI should do it itself. */
export async function importThroughServer(file: string, fields: Record<string, string>): Promise<object | undefined> {
  const config = loadConfig();
  const url = runningServerUrl(config, 'import');
  if (!url) return undefined;
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', await fs.openAsBlob(file), path.basename(file));
  console.error(`atalaya: the server at ${url} holds the embedded database; importing through it`);
  const res = await fetch(`${url}/api/imports`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${config.apiToken}` } });
  const body = (await res.json().catch(() => ({}))) as { error?: { message: string } };
  if (!res.ok) {
    console.error(`atalaya: import failed: ${body.error?.message ?? res.statusText}\nNothing was imported.`);
    process.exit(1);
  }
  return body;
}
