// What the HTTP app is built from: its own module so that routes and services can name the type
// without importing app.ts (which imports every route).
import type { Config } from './config';
import type { DatabaseHandle } from './db/database';
import type { Logger } from './log';
import type { RasterStores } from './services/rasters.service';
import type { AnalysisContext } from './services/analysis_context';
import type { VectorTiles } from './services/vector_tiles.service';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  log: Logger;
  /** Open raster tile stores; created over `database` when not given. */
  rasters?: RasterStores;
  /** Worker pool, job runner and stores for statistics; created when not given (close it with the app). */
  analysis?: AnalysisContext;
  /** Vector tile maker (created over `database` when not given). */
  tiles?: VectorTiles;
  /** Folder of the built client (vite build); served at / when it exists. */
  clientDir?: string;
}
