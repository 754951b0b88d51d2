// npm run report -- --out report.html [--lang es] [--csv report.csv] [--goal B] [--priority-area B]
//   [--status ongoing] [--progress off_track] [--agency SERFOR] [--q text]
// The programme progress report as a printable page (open it in a browser and print to PDF) and/or
// CSV. Read-only: while a server holds the embedded database, it asks that server.
import { commandLine } from './cli_args';
import fs from 'node:fs';
import { reportQuerySchema } from '../server/api';
import { loadConfig } from '../server/config';
import { migrateToLatest } from '../server/db/migrate';
import { RasterStores } from '../server/services/rasters.service';
import { buildReport, reportFilterOptions, reportRows } from '../server/services/report.service';
import { progressReportHtml } from '../server/reports/progress_report';
import { runningServerUrl, runWithDatabase } from './cli';

const { values } = commandLine({
  options: {
    out: { type: 'string' }, csv: { type: 'string' }, lang: { type: 'string' }, goal: { type: 'string' }, 'priority-area': { type: 'string' },
    status: { type: 'string' }, progress: { type: 'string' }, agency: { type: 'string' }, q: { type: 'string' },
  },
});
if (!values.out && !values.csv) {
  console.error('atalaya: say where to write the report: --out report.html and/or --csv report.csv');
  process.exit(2);
}
const params: Record<string, string> = {};
for (const [flag, key] of [['lang', 'lang'], ['goal', 'goal'], ['priority-area', 'priority_area'], ['status', 'status'], ['progress', 'progress'], ['agency', 'agency'], ['q', 'q']] as const) {
  if (values[flag] !== undefined) params[key] = String(values[flag]);
}
const parsed = reportQuerySchema.safeParse(params);
if (!parsed.success) {
  console.error(`atalaya: ${parsed.error.issues.map((i) => `--${String(i.path[0]).replace('_', '-')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const query = parsed.data;

function written(file: string, what: string) {
  console.log(`wrote ${what} to ${file} (${fs.statSync(file).size.toLocaleString('en')} bytes)`);
}

const config = loadConfig();
const serverUrl = runningServerUrl(config);
if (serverUrl) {
  const qs = new URLSearchParams(params);
  if (values.out) {
    fs.writeFileSync(values.out, await (await fetch(`${serverUrl}/report?${qs}`)).text());
    written(values.out, `the report (through the running server at ${serverUrl})`);
  }
  if (values.csv) {
    qs.set('format', 'csv');
    fs.writeFileSync(values.csv, Buffer.from(await (await fetch(`${serverUrl}/api/report?${qs}`)).arrayBuffer()));
    written(values.csv, 'the report CSV');
  }
} else {
  await runWithDatabase('report', async (database, cfg) => {
    await migrateToLatest(database.db);
    const rasters = new RasterStores(database.db);
    try {
      const report = await buildReport(database.db, rasters, undefined, query, cfg.siteBufferM);
      console.log(`${report.totals.activities} published activities: ${report.totals.on_track} on track, ${report.totals.at_risk} at risk, ${report.totals.off_track} off track, ${report.totals.no_data} without data`);
      if (values.out) {
        fs.writeFileSync(values.out, progressReportHtml(report, query, await reportFilterOptions(database.db)));
        written(values.out, 'the report');
      }
      if (values.csv) {
        const { stringify } = await import('csv-stringify/sync');
        const rows = reportRows(report, query.lang);
        fs.writeFileSync(values.csv, stringify(rows, { header: true, columns: rows.length ? Object.keys(rows[0]!) : [] }));
        written(values.csv, `${rows.length} rows`);
      }
    } finally {
      rasters.close();
    }
  });
}
