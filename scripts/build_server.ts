// Compiles the server for `npm start`: one ESM bundle for the server and one per worker thread, all
// in dist/server so every worker module sits beside the code that starts it (server/worker_threads.ts
// picks `name.js` there). npm packages stay external: Node loads them from node_modules as usual.
import { build } from 'esbuild';

const entryPoints = {
  main: 'server/main.ts',
  pglite_thread: 'server/db/embedded/pglite_thread.ts',
  geos_worker: 'server/geometry/geos_worker.ts',
  ingest_worker: 'server/raster/ingest_worker.ts',
  zonal_worker: 'server/analysis/zonal/zonal_worker.ts',
  range_read_worker: 'server/raster/remote/range_read_worker.ts',
};

const started = Date.now();
await build({
  entryPoints,
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`server compiled to dist/server in ${Date.now() - started} ms`);
