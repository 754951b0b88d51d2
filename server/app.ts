import { editingRoutes } from './routes/editing.routes';
import { authenticate } from './routes/authenticate';
import { authRoutes } from './routes/auth.routes';
import { auditRoutes } from './routes/audit.routes';
import { securityHeaders } from './routes/security_headers';
import expressStaticGzip from 'express-static-gzip';
import { basemapRoutes } from './routes/basemap.routes';
import { searchRoutes } from './routes/search.routes';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from './app_deps';
import { activityRoutes } from './routes/activities.routes';
import { errorMiddleware, notFound } from './routes/errors.middleware';
import { requireSignIn } from './routes/require_sign_in';
import { featureRoutes } from './routes/features.routes';
import { healthRoutes } from './routes/health.routes';
import { importRoutes } from './routes/imports.routes';
import { linkRoutes } from './routes/links.routes';
import { programmeRoutes } from './routes/programme.routes';
import { rasterRoutes } from './routes/rasters.routes';
import { sourcesRoutes } from './routes/sources.routes';
import { RasterStores } from './services/rasters.service';
import { analysisRoutes } from './routes/analysis.routes';
import { alertRoutes } from './routes/alerts.routes';
import { alertSubscriptionRoutes } from './routes/alert_subscriptions.routes';
import { registerDigestJob } from './services/digest_jobs';
import { registerPackageJob } from './services/package_jobs';
import { packageRoutes } from './routes/packages.routes';
import { fieldReportRoutes } from './routes/field_reports.routes';
import { photoStoreFor } from './field/photo_store';
import { concessionRoutes } from './routes/concessions.routes';
import { progressRoutes } from './routes/progress.routes';
import { vectorTileRoutes } from './routes/tiles.routes';
import { ogcRoutes } from './routes/ogc.routes';
import { openApiRoutes } from './routes/openapi.routes';
import { exportRoutes } from './routes/exports.routes';
import { VectorTiles } from './services/vector_tiles.service';
import { createAnalysisContext } from './services/analysis_context';

/** Builds the HTTP app from explicit dependencies, so tests can build one on any database. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.locals.log = deps.log;
  // Vector tiles first: the hottest path, read-only and never logged per request, so it skips the
  // request logger and the routers below (a cached tile then costs little more than node:http).
  const tiles = deps.tiles ?? new VectorTiles(deps.database.db, { cacheEntries: deps.config.tileCacheEntries });
  app.locals.tiles = tiles;
  app.use(vectorTileRoutes({ ...deps, tiles }));
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => !req.url?.startsWith('/api') },
      // Who made the request, in every request log line (user id; none for the public).
      customProps: (_req, res) => ({ user: (res as unknown as { locals?: { actor?: { id?: number } } }).locals?.actor?.id ?? null }),
      // One short line per request: headers would repeat the same bytes in every log line.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  app.use(securityHeaders());
  // Who is calling, for everything but tiles (public, published-only, and the hottest path).
  const auth = authenticate(deps.database.db, deps.config.statementTimeoutMs);
  app.use((req, res, next) => (req.path.startsWith('/tiles/') ? next() : auth(req, res, next)));
  app.use(requireSignIn);
  // Bodies are read only once the caller may make the request (an anonymous write is a 401 unread).
  app.use(express.json({ limit: '1mb' }));
  const rasters = deps.rasters ?? deps.analysis?.rasters ?? new RasterStores(deps.database.db);
  const analysis = deps.analysis ?? createAnalysisContext(deps.database.db, deps.log, { rasters, siteBufferM: deps.config.siteBufferM, geometryTimeLimitMs: deps.config.geometryTimeLimitMs });
  app.locals.analysis = analysis;
  // The digests an admin asks for over HTTP run with this app's mail and webhook settings.
  registerDigestJob(deps.database.db, analysis, deps.config, deps.log);
  const packages = { db: deps.database.db, rasters, tiles, siteBufferM: deps.config.siteBufferM, basemapPmtiles: deps.config.basemap.pmtiles };
  registerPackageJob(packages, analysis, deps.config.dataDir);
  app.use(authRoutes(deps));
  app.use(auditRoutes(deps));
  app.use(editingRoutes({ ...deps, analysis }));

  app.use(healthRoutes(deps));
  app.use(programmeRoutes(deps));
  app.use(searchRoutes(deps));
  app.use(basemapRoutes(deps));
  app.use(featureRoutes(deps));
  app.use(activityRoutes(deps));
  app.use(importRoutes({ ...deps, analysis }));
  app.use(linkRoutes(deps));
  app.use(rasterRoutes({ ...deps, rasters, analysis }));
  app.use(sourcesRoutes(deps));
  app.use(analysisRoutes({ ...deps, analysis }));
  app.use(alertSubscriptionRoutes({ ...deps, analysis }));
  app.use(packageRoutes({ ...deps, analysis, packages }));
  app.use(fieldReportRoutes(deps, { db: deps.database.db, rasters, photos: photoStoreFor(deps.config), accuracyLimitM: deps.config.fieldAccuracyLimitM }));
  app.use(alertRoutes({ ...deps, analysis }));
  app.use(concessionRoutes({ ...deps, analysis }));
  app.use(progressRoutes({ ...deps, analysis }));
  app.use(ogcRoutes(deps));
  app.use(openApiRoutes());
  app.use(exportRoutes({ ...deps, analysis }));
  app.use('/api', notFound);

  const clientDir = deps.clientDir;
  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    // The shell, the service worker and the manifest are looked at afresh each time (no-cache): a new
    // release reaches installed apps on their next start. Hashed assets may be kept an hour.
    const fresh = /(^|\/)(index\.html|sw\.js|registerSW\.js|manifest\.webmanifest)$/;
    app.use(expressStaticGzip(clientDir, { index: 'index.html', serveStatic: { maxAge: '1h', setHeaders: (res, file) => fresh.test(file) && res.setHeader('Cache-Control', 'no-cache') } }));
  } else {
    app.get('/', (_req, res) => {
      res.type('text').send('Atalaya API is running. The client is not built: run `npm run build` (npm start does it).');
    });
  }
  // Anything else: the API's JSON error, not Express's HTML page.
  app.use(notFound);
  app.use(errorMiddleware);
  return app;
}
