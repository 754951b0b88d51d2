// The only module with side effects: load config, open the database, migrate, seed, listen, shut down.
import path from 'node:path';
import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig, redactedConfig } from './config';
import { openDatabase } from './db/database';
import { DatabaseBusyError } from './db/embedded_lock';
import { migrateToLatest } from './db/migrate';
import { publishPendingStores } from './raster/remote/publish_store';
import { convertLegacyStores } from './raster/store_pack';
import { createLogger } from './log';
import { ensureDemoData, ensureDemoRasterStore } from './demo/load_demo';
import { ensureDemoAlerts } from './demo/alerts';
import { RasterStores } from './services/rasters.service';
import { createAnalysisContext, refreshEverything, type AnalysisContext } from './services/analysis_context';
import { startFetchSchedule } from './services/fetch_jobs';
import { startDigestSchedule } from './services/digest_jobs';
import { queueOptions, registerJobKinds } from './services/job_kinds';
import { ensureStarterLayers, loadStarterManifest, starterLoadedBefore } from './seed/starter_layers';
import { seedWorkProgram } from './seed/workprogram';
import { dropAbandonedImports } from './services/imports.service';
import { seedCountryBoundary } from './seed/country_boundary';
import { projectPath } from './util/project_root';

const clientDir = projectPath('dist', 'client');

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  log.info({ config: redactedConfig(config) }, 'starting Atalaya');

  const database = await openDatabase(config, {
    purpose: 'atalaya server',
    onConnectionError: (err) => log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'database connection lost; requests answer 503 until it is back'),
  });
  log.info(
    { database: database.kind, location: database.location },
    database.kind === 'embedded'
      ? `using the embedded PostGIS (PGlite) in ${database.location}`
      : `using the PostGIS server at ${database.location}`,
  );

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections?.();
    stopSchedule?.();
    await analysis?.close();
    await database.close();
    clearTimeout(force);
    log.info('database closed; bye');
    process.exit(0);
  };
  let server: Server | undefined;
  let analysis: AnalysisContext | undefined;
  let stopSchedule: (() => void) | undefined;
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const migrated = await migrateToLatest(database.db);
  for (const r of migrated.results ?? []) log.info({ migration: r.migrationName, status: r.status }, 'migration');
  const abandoned = await dropAbandonedImports(database.db);
  if (abandoned) log.info({ runs: abandoned }, 'dropped the staged rows of imports a stopped process left');
  await seedWorkProgram(database.db);
  await seedCountryBoundary(database.db);
  // Raster stores written before they were COGs become COGs (their blocks copied, no source re-read).
  const converted = convertLegacyStores(path.join(config.dataDir, 'rasters'));
  if (converted.length) log.info({ stores: converted }, 'raster stores converted to Cloud-Optimized GeoTIFF');
  // With ATALAYA_RASTER_STORE=s3://...: stores an earlier run wrote but did not finish uploading (the upload resumes).
  const published = await publishPendingStores(path.join(config.dataDir, 'rasters'));
  if (published.length) log.info({ stores: published }, 'raster stores published to the object store');
  if (config.demoData) {
    // Synthetic data only where no real starter layer covers the need (concessions, activities and
    // sites, the Hansen-style raster); the real layers load after it, once each.
    const starter = loadStarterManifest();
    const firstStart = await ensureDemoData(database.db, config, log, starter.layers.map((l) => l.kind));
    await ensureDemoRasterStore(database.db, config, log);
    if (firstStart || (await starterLoadedBefore(database.db))) await ensureStarterLayers(database.db, config.dataDir, log);
    await ensureDemoAlerts(database.db, config.dataDir, log);
  }
  // With ATALAYA_JOB_QUEUE=postgres this process only enqueues; `npm run worker` processes run the jobs.
  analysis = createAnalysisContext(database.db, log, { rasters: new RasterStores(database.db), siteBufferM: config.siteBufferM, geometryTimeLimitMs: config.geometryTimeLimitMs, threads: config.analysisThreads, queue: queueOptions(config, false) });
  // Before the queue starts: a job a killed process left is resumed with its handler.
  registerJobKinds(database.db, analysis, config, log);
  // Statistics for whatever changed while the server was down (or everything, on a first start), in the background.
  await analysis.jobs.start();
  const stopFetch = startFetchSchedule(config, analysis, log);
  const stopDigests = startDigestSchedule(config, analysis, log);
  stopSchedule = () => {
    stopFetch?.();
    stopDigests?.();
  };
  await refreshEverything(database.db, analysis, { atStart: true });

  const app = createApp({ config, database, log, clientDir, analysis });
  server = app.listen(config.port, config.host, () => {
    const address = server!.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    database.announce(`http://localhost:${port}`);
    log.info({ port, host: config.host }, `Atalaya listening on http://localhost:${port}`);
  });
  server.on('error', (err) => {
    log.fatal({ err }, `cannot listen on ${config.host}:${config.port}`);
    void database.close().finally(() => process.exit(1));
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DatabaseBusyError) {
    console.error(`atalaya: ${err.message}`);
  } else {
    console.error('atalaya: failed to start:', err);
  }
  process.exit(1);
});
