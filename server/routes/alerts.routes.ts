// Alerts over HTTP: the layers, exact statistics of a posted geometry or a stored subject, tiles,
// and (admins) new alert files. Thin: parsing here, the work in services/alerts.service.ts.
import fs from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { vectorAlertQuerySchema, alertExportQuerySchema, alertPeriodQuerySchema, alertRegisterFieldsSchema, alertRequestSchema, alertSubjectQuerySchema, alertTileQuerySchema, apiPaths, rasterTileParamsSchema, type AlertAnswer } from '../api';
import type { AppDeps } from '../app_deps';
import { ALERT_STATISTICS_JOB, type AnalysisContext } from '../services/analysis_context';
import { addVectorAlerts, listVectorAlertLayers, vectorAlertsForSubject } from '../services/vector_alerts.service';
import { alertPointsForSubject, alertsForGeometry, alertsForSubject, listAlertLayers, registerAlertLayer, resolveAlertLayer } from '../services/alerts.service';
import type { StatSubject } from '../db/repositories/loss_statistics.repository';
import { requirePublished } from '../services/access.service';
import { CONFIDENCES, confidenceMask, dayOf, today } from '../alerts/alert_encoding';
import { alertTilePng, prefetchAlertTile } from '../alerts/alert_tile';
import { BadRequestError, NotFoundError } from '../errors';
import { limitsFor } from '../geometry/limits';
import { runAsBackground } from '../request_context';
import { actorOf, requireRole } from './authenticate';
import { receiveUpload } from './multipart_upload';
import { sendTable } from './send_table';
import { parseInput } from './validate';
import { idParamSchema, formatQuerySchema } from '../api';
import { writeGeoPackage } from '../exports/geopackage';
import { pointWkb } from '../exports/point_wkb';

/** One CSV row per period, the filter and provenance repeated so each row stands alone. */
function periodRows(a: AlertAnswer, subject: Record<string, unknown> = {}) {
  return a.days.map((d) => ({
    ...subject,
    date: d.date,
    period: d.period,
    alert_px: d.alert_px,
    alert_ha: d.alert_ha,
    low_px: d.by_confidence.low.px,
    high_px: d.by_confidence.high.px,
    highest_px: d.by_confidence.highest.px,
    layer: a.provenance.layer.name,
    synthetic: a.provenance.layer.synthetic,
    from: a.provenance.from,
    to: a.provenance.to,
    confidence: a.provenance.confidence.join(' '),
    buffer_m: a.provenance.buffer_m ?? '',
    rule: a.provenance.rule,
    computed_at: a.provenance.computed_at,
  }));
}

export function alertRoutes({ database, config, analysis }: AppDeps & { analysis: AnalysisContext }): Router {
  const db = database.db;
  const rasters = analysis.rasters;
  const subjectRoute = (subject: StatSubject) => async (req: Request, res: Response) => {
    const { id } = parseInput(idParamSchema, req.params, 'path');
    await requirePublished(db, subject, id);
    const q = parseInput(alertSubjectQuerySchema, req.query, 'query');
    const { format } = parseInput(formatQuerySchema, req.query, 'query');
    const bufferM = q.buffer_m ?? (subject === 'area' ? 0 : analysis.siteBufferM);
    const a = await alertsForSubject(db, rasters, subject, id, { ...q, bufferM });
    sendTable(res, format, `${subject}-${id}-alerts`, a, periodRows(a, { [`${subject}_id`]: id }));
  };
  const vectorRoute = (subject: StatSubject) => async (req: Request, res: Response) => {
    const { id } = parseInput(idParamSchema, req.params, 'path');
    await requirePublished(db, subject, id);
    const q = parseInput(vectorAlertQuerySchema, req.query, 'query');
    res.json(await vectorAlertsForSubject(db, subject, id, { ...q, bufferM: q.buffer_m ?? (subject === 'area' ? 0 : analysis.siteBufferM) }));
  };
  return Router()
    .get(apiPaths.alertLayers, async (_req, res) => {
      res.json(await listAlertLayers(db, rasters));
    })
    .get(apiPaths.vectorAlertLayers, async (_req, res) => {
      res.json(await listVectorAlertLayers(db));
    })
    .post(apiPaths.analysisAlerts, async (req, res) => {
      const body = parseInput(alertRequestSchema, req.body, 'body');
      const { period } = parseInput(alertPeriodQuerySchema, req.query, 'query');
      const { format } = parseInput(formatQuerySchema, req.query, 'query');
      const a = await alertsForGeometry(db, rasters, body.geometry, { ...body, period, bufferM: body.buffer_m }, { geometry: analysis.geometry, limits: limitsFor(actorOf(res)) });
      sendTable(res, format, 'alert-analysis', a, periodRows(a));
    })
    // The alert pixels of an area, a site's buffer or an activity's sites, as points: GeoJSON, CSV or GeoPackage.
    .get(apiPaths.alertExport, async (req, res) => {
      const q = parseInput(alertExportQuerySchema, req.query, 'query');
      await requirePublished(db, q.subject, q.id);
      const bufferM = q.buffer_m ?? (q.subject === 'area' ? 0 : analysis.siteBufferM);
      const points = await alertPointsForSubject(db, rasters, q.subject, q.id, { ...q, bufferM });
      const name = `alerts-${q.subject}-${q.id}-${q.from}-${q.to}`;
      if (q.format === 'csv') sendTable(res, 'csv', name, null, points.map((p) => ({ lon: p.lon, lat: p.lat, ...p.properties })));
      else if (q.format === 'gpkg') {
        const gpkg = await writeGeoPackage('alerts', 'POINT', points.map((p) => ({ wkb: pointWkb(p.lon, p.lat), bbox: [p.lon, p.lat, p.lon, p.lat], properties: p.properties })));
        res.attachment(`${name}.gpkg`).type('application/geopackage+sqlite3').send(Buffer.from(gpkg));
      } else {
        res.attachment(`${name}.geojson`).type('application/geo+json');
        res.send(JSON.stringify({ type: 'FeatureCollection', features: points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: p.properties })) }));
      }
    })
    .get(apiPaths.subjectVectorAlerts('area', ':id'), vectorRoute('area'))
    .get(apiPaths.subjectVectorAlerts('site', ':id'), vectorRoute('site'))
    .get(apiPaths.subjectVectorAlerts('activity', ':id'), vectorRoute('activity'))
    .get(apiPaths.areaAlerts(':id'), subjectRoute('area'))
    .get(apiPaths.siteAlerts(':id'), subjectRoute('site'))
    .get(apiPaths.activityAlerts(':id'), subjectRoute('activity'))
    // A source's alert files (several tiles = one layer); a newer file set replaces the layer whole.
    .post(apiPaths.alerts, requireRole('admin'), async (req, res) => {
      const upload = await receiveUpload(req, config.maxUploadBytes, 64);
      const sources = path.join(config.dataDir, 'alert-sources', `${Date.now()}-${process.pid}`);
      try {
        const fields = parseInput(alertRegisterFieldsSchema, upload.fields, 'alert fields');
        if (upload.files.length === 0) throw new BadRequestError('Send the alert GeoTIFF(s) as files in the form.');
        fs.mkdirSync(sources, { recursive: true });
        // The original names carry what GLAD-L pairs and years are read from (alert24_..., alertDate24_...).
        const files = upload.files.map((f) => {
          const target = path.join(sources, path.basename(f.originalName).replace(/[^\w.-]+/g, '_'));
          fs.renameSync(f.path, target);
          return target;
        });
        if (fields.source === 'geobosques') {
          // Points or polygons: one file (a zipped shapefile as published, GeoJSON or GeoPackage) into PostGIS.
          if (files.length !== 1) throw new BadRequestError('GeoBosques alerts come as one file (the zipped shapefile as published, GeoJSON or GeoPackage).');
          const report = await runAsBackground(() => addVectorAlerts(db, files[0]!, { name: fields.name.toLowerCase(), fileName: path.basename(files[0]!) }));
          fs.rmSync(sources, { recursive: true, force: true });
          res.status(201).json({ name: report.name, alerts: report.alerts, first_date: report.firstDate, last_date: report.lastDate, collection: `/ogc/collections/alerts_${report.name}` });
          return;
        }
        const source = fields.source;
        const layer = await runAsBackground(() => registerAlertLayer(db, { files, source, name: fields.name, version: fields.version, year: fields.year, dataDir: config.dataDir }));
        rasters.forget(layer.name);
        // The stored series follow the new file: only subjects whose blocks changed are recomputed.
        const job = await analysis.jobs.enqueue(ALERT_STATISTICS_JOB, { layer: layer.name });
        res.status(201).json({ job: job.id, name: layer.name, id: layer.id, width: layer.width, height: layer.height, alert_px: layer.alertPixels, changed_blocks: layer.changedBlocks, total_blocks: layer.totalBlocks });
      } catch (e) {
        fs.rmSync(sources, { recursive: true, force: true });
        throw e;
      } finally {
        upload.cleanup();
      }
    })
    .get('/tiles/alerts/:layer/:z/:x/:y.png', async (req, res) => {
      const { layer, z, x, y } = parseInput(rasterTileParamsSchema, req.params, 'path');
      const q = parseInput(alertTileQuerySchema, req.query, 'query');
      const row = await resolveAlertLayer(db, layer);
      const store = await rasters.get(row.name);
      const fromDay = q.from ? dayOf(q.from) : 1;
      const toDay = q.to ? dayOf(q.to) : today() + 1;
      const mask = confidenceMask(q.confidence ?? CONFIDENCES);
      const etag = `"alerts-${row.name}-${String(row.properties.ingestedAt ?? '')}-${fromDay}-${toDay}-${mask}-${z}-${x}-${y}"`;
      res.setHeader('Cache-Control', 'public, max-age=600');
      res.setHeader('ETag', etag);
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      await prefetchAlertTile(store, z, x, y);
      const png = alertTilePng(store, z, x, y, { fromDay, toDay, confidenceMask: mask });
      if (png === undefined) throw new NotFoundError(`Tile ${z}/${x}/${y} is outside alert layer ${row.name}.`);
      if (png === null) {
        res.status(204).end();
        return;
      }
      res.type('image/png').send(png);
    });
}
