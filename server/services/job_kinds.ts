// Every kind of job the app runs, registered on a context's runner: the web server and the worker
// register the same ones, so a job enqueued by one is understood by the other.
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import type { AnalysisContext } from './analysis_context';
import { registerDigestJob } from './digest_jobs';
import { registerFetchJob } from './fetch_jobs';
import { registerPackageJob } from './package_jobs';
import { VectorTiles } from './vector_tiles.service';

export function registerJobKinds(db: Kysely<Database>, analysis: AnalysisContext, config: Config, log: Logger): void {
  registerFetchJob(db, analysis, config.dataDir);
  registerDigestJob(db, analysis, config, log);
  registerPackageJob({ db, rasters: analysis.rasters, tiles: new VectorTiles(db, { cacheEntries: 0 }), siteBufferM: config.siteBufferM, basemapPmtiles: config.basemap.pmtiles }, analysis, config.dataDir);
}

/** The queue options of a configuration: undefined when jobs run in this process. */
export function queueOptions(config: Config, work: boolean) {
  if (config.jobs.queue !== 'postgres' || !config.databaseUrl) return undefined;
  return { connectionString: config.databaseUrl, work, partTimeoutS: config.jobs.partTimeoutS, jobTimeoutS: config.jobs.jobTimeoutS };
}
