// npm run concessions -- [--region "Madre de Dios"] [--type timber] [--status S] [--flagged] [--k 3]
//   [--sort rate_during_pct] [--asc] [--csv out.csv] [--geojson out.geojson]
// The concession review table on the command line: prints the first rows, writes every filtered row
// to CSV or GeoJSON. Read-only, so while a server holds the embedded database it asks that server.
import { commandLine } from './cli_args';
import fs from 'node:fs';
import { concessionReviewQuerySchema } from '../server/api';
import { loadConfig } from '../server/config';
import { migrateToLatest } from '../server/db/migrate';
import { concessionReview } from '../server/services/concession_review.service';
import { runningServerUrl, runWithDatabase } from './cli';

const { values } = commandLine({
  options: {
    region: { type: 'string' }, type: { type: 'string' }, status: { type: 'string' }, flagged: { type: 'boolean' },
    k: { type: 'string' }, sort: { type: 'string' }, asc: { type: 'boolean' }, csv: { type: 'string' }, geojson: { type: 'string' },
  },
});
const params: Record<string, string> = {};
for (const key of ['region', 'type', 'status', 'k', 'sort'] as const) if (values[key] !== undefined) params[key] = String(values[key]);
if (values.flagged) params.flagged = 'true';
if (values.asc) params.order = 'asc';
const parsed = concessionReviewQuerySchema.safeParse({ ...params, limit: '1000' });
if (!parsed.success) {
  console.error(`atalaya: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const query = parsed.data;

function print(total: number, rows: Record<string, unknown>[]) {
  console.log(`${total} concessions${query.region ? ` in ${query.region}` : ''}${query.type ? ` of type ${query.type}` : ''}${query.flagged ? ', flagged' : ''} (sorted by ${query.sort} ${query.order})`);
  console.table(rows.slice(0, 15).map((r) => ({ name: r.name, type: r.type, region: r.region, 'rate before %/yr': r.rate_before_pct, 'rate during %/yr': r.rate_during_pct, 'trend 3y/5y': r.recent_trend, flagged: r.flagged ? 'FLAG' : '', status: r.supervision_status })));
}

const config = loadConfig();
// Read-only: no admin token needed to ask the running server.
const serverUrl = runningServerUrl(config);
if (serverUrl) {
  const qs = new URLSearchParams({ ...params, limit: '1000' });
  const json = (await (await fetch(`${serverUrl}/api/concessions/review?${qs}`)).json()) as { total: number; items: Record<string, unknown>[] };
  print(json.total, json.items);
  for (const [flag, format] of [['csv', 'csv'], ['geojson', 'geojson']] as const) {
    const file = values[flag];
    if (!file) continue;
    qs.set('format', format);
    fs.writeFileSync(file, Buffer.from(await (await fetch(`${serverUrl}/api/concessions/review?${qs}`)).arrayBuffer()));
    console.log(`wrote ${file} (through the running server at ${serverUrl})`);
  }
} else {
  await runWithDatabase('concessions', async (database) => {
    await migrateToLatest(database.db);
    const result = await concessionReview(database.db, query);
    print(result.total, result.rows as unknown as Record<string, unknown>[]);
    if (values.csv) {
      const { stringify } = await import('csv-stringify/sync');
      const rows = result.rows.map(({ years: _y, ...rest }) => rest);
      fs.writeFileSync(values.csv, stringify(rows, { header: true, columns: rows.length ? Object.keys(rows[0]!) : [] }));
      console.log(`wrote ${rows.length} rows to ${values.csv}`);
    }
    if (values.geojson) console.log('--geojson needs the running server (GET /api/concessions/review?format=geojson)');
  });
}
