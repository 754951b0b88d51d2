// Field reports over HTTP: send (idempotent by the device's UUID: 201 the first time, 200 after),
// photos (raw image bodies, idempotent by their UUID), read, review, export, and the status of
// alerts. Thin: the rules are in services/field_reports.service.ts.
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { alertIdSchema, apiPaths, fieldReportExportQuerySchema, fieldReportInputSchema, fieldReportListQuerySchema, photoUploadQuerySchema, reportReviewSchema } from '../api';
import type { AppDeps } from '../app_deps';
import { addFieldPhoto, alertStatuses, fieldPhotoBytes, fieldReport, fieldReports, reviewFieldReport, submitFieldReport, type FieldDeps } from '../services/field_reports.service';
import { exportFieldReports } from '../services/field_reports_export.service';
import { PHOTO_LIMITS } from '../field/photo_image';
import { actorOf } from './authenticate';
import { parseInput } from './validate';

const reportParams = z.object({ id: z.string().uuid('the report id is a UUID') });
const photoParams = reportParams.extend({ photo: z.string().uuid('the photo id is a UUID') });
const statusQuery = z.object({
  ids: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(alertIdSchema).min(1).max(500, 'ids: at most 500 alerts at once')),
});
const base = (req: Request) => `${req.protocol}://${req.get('host')}`;

export function fieldReportRoutes(_deps: AppDeps, field: FieldDeps): Router {
  const db = field.db;
  return Router()
    .post(apiPaths.fieldReports, async (req, res) => {
      const input = parseInput(fieldReportInputSchema, req.body, 'body');
      const { report, created } = await submitFieldReport(field, actorOf(res), input);
      res.status(created ? 201 : 200).location(apiPaths.fieldReport(report.id)).json(report);
    })
    .get(apiPaths.fieldReports, async (req, res) => {
      const q = parseInput(fieldReportListQuerySchema, req.query, 'query');
      res.json(await fieldReports(db, actorOf(res), { status: q.status, kind: q.kind, alert: q.alert, siteId: q.site_id }, { limit: q.limit, offset: q.offset }));
    })
    .get(apiPaths.fieldReportsExport, async (req, res) => {
      const q = parseInput(fieldReportExportQuerySchema, req.query, 'query');
      const out = await exportFieldReports(db, actorOf(res), q, base(req));
      res.attachment(out.name).type(out.type).send(typeof out.body === 'string' ? out.body : Buffer.from(out.body));
    })
    .get(apiPaths.alertStatus, async (req, res) => {
      const { ids } = parseInput(statusQuery, req.query, 'query');
      res.json(await alertStatuses(db, ids));
    })
    .get(apiPaths.fieldReport(':id'), async (req, res) => {
      const { id } = parseInput(reportParams, req.params, 'path');
      res.json(await fieldReport(db, actorOf(res), id));
    })
    .post(apiPaths.fieldReportReview(':id'), async (req, res) => {
      const { id } = parseInput(reportParams, req.params, 'path');
      res.json(await reviewFieldReport(db, actorOf(res), id, parseInput(reportReviewSchema, req.body, 'body')));
    })
    .post(apiPaths.fieldReportPhoto(':id', ':photo'), express.raw({ type: () => true, limit: PHOTO_LIMITS.maxBytes }), async (req, res) => {
      const { id, photo } = parseInput(photoParams, req.params, 'path');
      const meta = parseInput(photoUploadQuerySchema, req.query, 'query');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const out = await addFieldPhoto(field, actorOf(res), id, photo, body, meta);
      res.status(out.created ? 201 : 200).json(out.photo);
    })
    .get(apiPaths.fieldReportPhoto(':id', ':photo'), async (req, res) => {
      const { id, photo } = parseInput(photoParams, req.params, 'path');
      const bytes = await fieldPhotoBytes(field, actorOf(res), id, photo);
      // Private: a pending report's photo is for its agency; an accepted one may be cached a day.
      res.set({ 'content-type': 'image/jpeg', 'cache-control': 'private, max-age=86400', 'x-content-type-options': 'nosniff' }).send(bytes);
    });
}
