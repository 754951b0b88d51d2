// npm run stats -- [--kind forest_concession] [--sites] [--activities] [--no-areas] [--buffer 5000]
//   [--layer L] [--treecover T|none] [--threshold 30] [--force] [--csv out.csv]
// Computes the loss statistics that are missing or stale (all of them with --force) on every core,
// with a progress bar per stage. When the embedded database belongs to a running server, the batch
// runs there as a job (with an admin's ATALAYA_API_TOKEN) and this command follows its progress.
import { commandLine } from './cli_args';
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { loadConfig } from '../server/config';
import { migrateToLatest } from '../server/db/migrate';
import { findStats } from '../server/db/repositories/loss_statistics.repository';
import { createProgressReporter, type ProgressReporter } from '../server/import/progress';
import { createAnalysisContext } from '../server/services/analysis_context';
import { statKey } from '../server/services/loss_layers';
import { refreshAll, storedAnswer } from '../server/services/loss_statistics.service';
import { createLogger } from '../server/log';
import { runningServerUrl, runWithDatabase } from './cli';

const { values } = commandLine({
  options: {
    kind: { type: 'string' },
    sites: { type: 'boolean' },
    activities: { type: 'boolean' },
    'no-areas': { type: 'boolean' },
    buffer: { type: 'string' },
    layer: { type: 'string' },
    treecover: { type: 'string' },
    threshold: { type: 'string' },
    force: { type: 'boolean' },
    csv: { type: 'string' },
  },
});
const config = loadConfig();
const bufferM = values.buffer !== undefined ? Number(values.buffer) : config.siteBufferM;
const threshold = values.threshold !== undefined ? Number(values.threshold) : undefined;
if (!Number.isFinite(bufferM) || bufferM < 0 || (threshold !== undefined && !Number.isInteger(threshold))) {
  console.error('atalaya: --buffer is metres (>= 0) and --threshold a whole percentage');
  process.exit(2);
}
const choice = { layer: values.layer, treecover: values.treecover === 'none' ? null : values.treecover, threshold };
const scope = { ...(values.kind ? { areaKind: values.kind } : {}), areas: !values['no-areas'], sites: values.sites === true, activities: values.activities === true, bufferM };

function stageReporter() {
  let current: { stage: string; bar: ProgressReporter } | undefined;
  return {
    update(stage: string, done: number, total: number) {
      if (current?.stage !== stage) {
        current?.bar.stop();
        current = { stage, bar: createProgressReporter(`loss statistics: ${stage}`, process.stderr, 'done') };
      }
      current.bar.update({ read: done, total, features: done });
    },
    stop: () => current?.bar.stop(),
  };
}

async function throughServer(): Promise<boolean> {
  const url = runningServerUrl(config, 'run the batch');
  if (!url) return false;
  const body = { ...(values.kind ? { kind: values.kind } : {}), areas: scope.areas, sites: scope.sites, activities: scope.activities, buffer_m: bufferM, force: values.force === true, ...(values.layer ? { layer: values.layer } : {}), ...(choice.treecover !== undefined ? { treecover: choice.treecover } : {}), ...(threshold !== undefined ? { threshold } : {}) };
  const res = await fetch(`${url}/api/statistics/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiToken}` }, body: JSON.stringify(body) });
  const job = (await res.json()) as { id: number; error?: { message: string } };
  if (!res.ok) {
    console.error(`atalaya: the server refused the batch: ${job.error?.message ?? res.status}`);
    process.exit(1);
  }
  const progress = stageReporter();
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const j = (await (await fetch(`${url}/api/jobs/${job.id}`)).json()) as { status: string; done: number; total: number; message: string | null };
    if (j.status === 'running' && j.total > 0) progress.update(j.message ?? 'running', j.done, j.total);
    if (j.status === 'done' || j.status === 'failed') {
      progress.stop();
      console.log(`job ${job.id} ${j.status}: ${j.message ?? ''}`);
      process.exit(j.status === 'done' ? 0 : 1);
    }
  }
}

if (!(await throughServer())) {
  await runWithDatabase('stats', async (database) => {
    await migrateToLatest(database.db);
    const log = createLogger({ ...config, logLevel: 'warn' });
    const ctx = createAnalysisContext(database.db, log, { siteBufferM: bufferM });
    const started = Date.now();
    const progress = stageReporter();
    try {
      const { layers, summary } = await refreshAll(database.db, ctx.rasters, ctx.pool, choice, scope, {
        ...(values.force ? { force: true } : {}),
        onProgress: (p) => progress.update(p.stage, p.done, p.total),
      });
      progress.stop();
      for (const s of summary) {
        console.log(`${s.stage}: ${s.computed} computed${s.failed.length ? `, ${s.failed.length} failed (${s.failed.slice(0, 3).map((f) => `${f.id}: ${f.error}`).join('; ')})` : ''}`);
      }
      console.log(`loss statistics on ${layers.loss.name}${layers.treecover ? ` (forest: ${layers.treecover.name} >= ${layers.threshold} %)` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s with ${ctx.pool.size} worker threads`);
      if (values.csv) {
        const rows = [];
        for (const [subject, b] of [['area', 0], ['site', bufferM], ['activity', bufferM]] as const) {
          if ((subject === 'area' && !scope.areas) || (subject === 'site' && !scope.sites) || (subject === 'activity' && !scope.activities)) continue;
          for (const r of await findStats(database.db, subject, null, statKey(layers, b), subject === 'area' ? values.kind : undefined)) {
            const a = storedAnswer(r, layers);
            for (const y of a.years) rows.push({ subject, id: r.subject_id, buffer_m: b, year: y.year, loss_ha: y.loss_ha, loss_px: y.loss_px, forest2000_ha: a.forest2000_ha, area_ha: a.area_ha, covered_fraction: a.covered_fraction, layer: layers.loss.name });
          }
        }
        fs.writeFileSync(values.csv, stringify(rows, { header: true }));
        console.log(`wrote ${rows.length} rows to ${values.csv}`);
      }
    } finally {
      await ctx.close();
    }
  });
}
