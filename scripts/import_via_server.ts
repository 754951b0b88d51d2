// When the embedded database is held by a running server, `npm run import` goes through that server's
// HTTP API (with a personal ATALAYA_API_TOKEN) instead of opening the folder a second time.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { runningServerUrl } from './cli';

type Values = Record<string, string | boolean | undefined>;

/** Returns true when the import was done by the running server; false when the CLI should do it itself. */
export async function importThroughServer(file: string, values: Values): Promise<boolean> {
  const config = loadConfig();
  const url = runningServerUrl(config, 'import');
  if (!url) return false;
  const form = new FormData();
  const target = values.activities ? 'activities' : values.sites ? 'sites' : 'areas';
  const fields: Record<string, unknown> = {
    target, kind: values.kind, createKind: values['create-kind'], idField: values['id-field'], nameField: values['name-field'],
    attributes: values.attr, srid: values.srid, encoding: values.encoding, layer: values.layer, licence: values.licence,
    source: values.source, activity: values.activity, activityField: values['activity-field'], siteKind: values['site-kind'],
  };
  for (const [k, v] of Object.entries(fields)) if (typeof v === 'string') form.set(k, v);
  form.set('file', await fs.openAsBlob(file), path.basename(file));
  console.error(`atalaya: the server at ${url} holds the embedded database; importing through it`);
  const res = await fetch(`${url}/api/imports`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${config.apiToken}` } });
  const body = (await res.json().catch(() => ({}))) as { error?: { message: string } };
  if (!res.ok) {
    console.error(`atalaya: import failed: ${body.error?.message ?? res.statusText}\nNothing was imported.`);
    process.exit(1);
  }
  console.log(JSON.stringify(body, null, 2));
  return true;
}
