// Indicators (read publicly, written by editors of the activity's agency), trends near
// interventions, and the programme report as JSON, CSV and a printable page.
import { Router, type Request, type Response } from 'express';
import { apiPaths, idParamSchema, indicatorInputSchema, measurementInputSchema, reportQuerySchema, trendQuerySchema, type Trend, recomputeBodySchema } from '../api';
import type { AppDeps } from '../app_deps';
import type { AnalysisContext } from '../services/analysis_context';
import { activityIndicators, addMeasurement, createIndicator, indicatorWithHistory, recomputeSpatialIndicators } from '../services/indicators.service';
import { trendFor, trendOptions } from '../services/trends.service';
import { buildReport, reportFilterOptions, reportRows } from '../services/report.service';
import { progressReportHtml } from '../reports/progress_report';
import { actorOf, requireRole } from './authenticate';
import { requirePublished } from '../services/access.service';
import { runAsBackground } from '../request_context';
import { requireAgency } from '../auth/actor';
import { agencyOfActivity, agencyOfIndicator } from '../services/access.service';
import { sendTable } from './send_table';
import { parseInput } from './validate';

/** The page's filter form sends every field, the unused ones empty: empty means "any". */
function withoutEmpty(query: Request['query']): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
}

function trendRows(t: Trend) {
  return t.years.map((y) => ({ subject: t.subject, id: t.id, distance_m: t.distance_m, start_year: t.start_year ?? '', ...y, did: t.result.did ?? '', ci_low: t.result.ci_low ?? '', ci_high: t.result.ci_high ?? '', warnings: t.warnings.join(' ') }));
}

export function progressRoutes({ database, analysis }: AppDeps & { analysis: AnalysisContext }): Router {
  const db = database.db;
  const admin = requireRole('admin');
  const trendRoute = (subject: 'site' | 'activity') => async (req: Request, res: Response) => {
    const { id } = parseInput(idParamSchema, req.params, 'path');
    await requirePublished(db, subject, id);
    const q = parseInput(trendQuerySchema, req.query, 'query');
    const t = await trendFor(db, analysis.rasters, subject, id, trendOptions(q, analysis.siteBufferM), analysis.pool);
    sendTable(res, q.format, `${subject}-${id}-trend`, t, trendRows(t));
  };
  return Router()
    .get(apiPaths.activityIndicators(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      await requirePublished(db, 'activity', id);
      res.json(await activityIndicators(db, id, { publishedOnly: true }));
    })
    .post(apiPaths.activityIndicators(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      requireAgency(actorOf(res), await agencyOfActivity(db, id));
      const body = parseInput(indicatorInputSchema, req.body ?? {}, 'body');
      const created = await createIndicator(db, analysis.rasters, analysis.pool, id, body);
      res.status(201).location(apiPaths.indicator(created.id)).json(created);
    })
    .get(apiPaths.indicator(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      await requirePublished(db, 'indicator', id);
      res.json(await indicatorWithHistory(db, id, { publishedOnly: true }));
    })
    .post(apiPaths.indicatorMeasurements(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      requireAgency(actorOf(res), await agencyOfIndicator(db, id));
      const body = parseInput(measurementInputSchema, req.body ?? {}, 'body');
      res.status(201).json(await addMeasurement(db, id, body));
    })
    .post(apiPaths.indicatorsRecompute, admin, async (req, res) => {
      const body = parseInput(recomputeBodySchema, req.body ?? {}, 'body');
      res.json(await runAsBackground(() => recomputeSpatialIndicators(db, analysis.rasters, analysis.pool, { ...(body.force ? { force: true } : {}) })));
    })
    // The report's print button: a file, not an inline handler, so the content security policy allows it.
    .get('/report/print.js', (_req, res) => {
      res.type('application/javascript').send("document.querySelector('[data-print]')?.addEventListener('click', () => window.print());");
    })
    .get(apiPaths.siteTrend(':id'), trendRoute('site'))
    .get(apiPaths.activityTrend(':id'), trendRoute('activity'))
    .get(apiPaths.report, async (req, res) => {
      const q = parseInput(reportQuerySchema, withoutEmpty(req.query), 'query');
      const report = await buildReport(db, analysis.rasters, analysis.pool, q, analysis.siteBufferM);
      sendTable(res, q.format, 'progress-report', report, reportRows(report, q.lang));
    })
    .get(apiPaths.reportPage, async (req, res) => {
      const q = parseInput(reportQuerySchema, { ...withoutEmpty(req.query), format: 'json' }, 'query');
      const report = await buildReport(db, analysis.rasters, analysis.pool, q, analysis.siteBufferM);
      res.type('html').send(progressReportHtml(report, q, await reportFilterOptions(db)));
    });
}
