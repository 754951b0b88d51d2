import { Router } from 'express';
import { alertCountsOfAreas } from '../services/alert_counts.service';
import type { AnalysisContext } from '../services/analysis_context';
import { apiPaths, concessionReviewNoteSchema, concessionSheetQuerySchema, concessionReviewQuerySchema, idParamSchema } from '../api';
import type { AppDeps } from '../app_deps';
import { addReviewNote, concessionReview, concessionReviewGeoJson, concessionReviewRow, reviewHistory, type ReviewRow } from '../services/concession_review.service';
import { concessionSheetHtml } from '../reports/concession_sheet';
import { actorOf } from './authenticate';
import { canActFor, requireRoleOf } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { sendTable } from './send_table';
import { parseInput } from './validate';

/** The table's columns, as the CSV and GeoJSON exports carry them (the yearly series stays in JSON). */
function tableRow(r: ReviewRow): Record<string, unknown> {
  const { years: _years, bbox: _bbox, ...rest } = r;
  return rest;
}

export const FOREST_AUTHORITIES = ['OSINFOR', 'SERFOR'];

export function concessionRoutes({ database, analysis }: AppDeps & { analysis?: AnalysisContext }): Router {
  const db = database.db;
  return Router()
    .get(apiPaths.concessionReview, async (req, res) => {
      const q = parseInput(concessionReviewQuerySchema, req.query, 'query');
      const result = await concessionReview(db, q);
      if (q.format === 'geojson') {
        // Exactly the table's rows (every page, in its order), with their outlines.
        res.attachment('concession-review.geojson').type('application/geo+json').send(await concessionReviewGeoJson(db, result.rows, tableRow));
        return;
      }
      const { rows, page, ...meta } = result;
      // Alerts in the last 90 days and since the contract began, from the newest alert layer (null where it does not reach).
      const counted = q.format === 'json' ? page : rows;
      const alerts = analysis ? await alertCountsOfAreas(db, analysis.rasters, counted) : undefined;
      const withAlerts = <T extends object>(r: T & { id: number }): Record<string, unknown> => {
        const c = alerts?.get(r.id);
        return {
          ...r,
          alerts_layer: c?.layer ?? null,
          alerts_90d_px: c?.last90_px ?? null,
          alerts_90d_ha: c?.last90_ha ?? null,
          alerts_contract_px: c?.contract_px ?? null,
          alerts_contract_ha: c?.contract_ha ?? null,
          alerts_90d_confirmed_ha: c?.last90_confirmed_ha ?? null,
          alerts_90d_false_ha: c?.last90_false_ha ?? null,
          alerts_90d_unverified_ha: c?.last90_unverified_ha ?? null,
          field_reports_accepted: c?.reports_accepted ?? null,
          field_reports_pending: c?.reports_pending ?? null,
        };
      };
      sendTable(res, q.format, 'concession-review', { ...meta, limit: q.limit, offset: q.offset, items: page.map(({ years: _y, ...rest }) => withAlerts(rest)) }, rows.map((r) => withAlerts({ ...tableRow(r), id: r.id })));
    })
    // The printable one-page sheet (HTML with print CSS; a browser prints it to PDF).
    .get(apiPaths.concessionSheet(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      const { lang, layer } = parseInput(concessionSheetQuerySchema, req.query, 'query');
      res.type('html').send(concessionSheetHtml(await concessionReviewRow(db, id, layer), lang));
    })
    .get(apiPaths.concessionReviewNotes(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      res.json(await reviewHistory(db, id));
    })
    .post(apiPaths.concessionReviewNotes(':id'), async (req, res) => {
      // Review notes are the forest authorities' (OSINFOR supervises, SERFOR administers) and admins'.
      const user = requireRoleOf(actorOf(res), 'editor');
      if (!FOREST_AUTHORITIES.some((a) => canActFor(user, a))) throw new ForbiddenError(`Concession review notes are written by ${FOREST_AUTHORITIES.join(' or ')} editors.`);
      const { id } = parseInput(idParamSchema, req.params, 'path');
      const body = parseInput(concessionReviewNoteSchema, { author: user.email, ...(req.body ?? {}) }, 'body');
      res.status(201).json(await addReviewNote(db, id, { ...body, author: user.email }));
    });
}
