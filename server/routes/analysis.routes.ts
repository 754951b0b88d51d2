import { Router, type Request, type Response } from 'express';
import { apiPaths, formatQuerySchema, idParamSchema, lossQuerySchema, lossRequestSchema, statisticsJobSchema, statisticsQuerySchema } from '../api';
import type { AppDeps } from '../app_deps';
import type { AnalysisContext, StatisticsJobParams } from '../services/analysis_context';
import { STATISTICS_JOB } from '../services/analysis_context';
import { lossForGeometry, lossForSubject, storedStatistics, type LossAnswer, type StatSubject } from '../services/loss_statistics.service';
import { resolveLayers } from '../services/loss_layers';
import { actorOf, requireRole } from './authenticate';
import { limitsFor } from '../geometry/limits';
import { sendTable } from './send_table';
import { requirePublished } from '../services/access.service';
import { parseInput } from './validate';

/** One CSV row per year, with the totals and provenance repeated so each row stands alone. */
function yearRows(a: LossAnswer, subject: Record<string, unknown> = {}) {
  return a.years.map((y) => ({
    ...subject,
    year: y.year,
    loss_ha: y.loss_ha,
    loss_px: y.loss_px,
    forest2000_ha: a.forest2000_ha,
    area_ha: a.area_ha,
    covered_fraction: a.covered_fraction,
    layer: a.provenance.layer.name,
    layer_version: a.provenance.layer.version ?? '',
    treecover: a.provenance.treecover?.name ?? '',
    threshold: a.provenance.threshold ?? '',
    buffer_m: a.provenance.buffer_m ?? '',
    rule: a.provenance.rule,
    computed_at: a.provenance.computed_at,
  }));
}

export function analysisRoutes({ database, analysis }: AppDeps & { analysis: AnalysisContext }): Router {
  const db = database.db;
  const choiceOf = (q: { layer?: string | undefined; treecover?: string | undefined; threshold?: number | undefined }) => ({
    layer: q.layer,
    treecover: q.treecover === 'none' ? null : q.treecover,
    threshold: q.threshold,
  });
  const subjectRoute = (subject: StatSubject) => async (req: Request, res: Response) => {
    const { id } = parseInput(idParamSchema, req.params, 'path');
    await requirePublished(db, subject, id);
    const q = parseInput(lossQuerySchema, req.query, 'query');
    const bufferM = q.buffer_m ?? (subject === 'area' ? 0 : analysis.siteBufferM);
    const a = await lossForSubject(db, analysis.rasters, subject, id, { ...choiceOf(q), bufferM }, analysis.pool);
    sendTable(res, q.format, `${subject}-${id}-loss`, a, yearRows(a, { [`${subject}_id`]: id }));
  };
  return Router()
    .post(apiPaths.analysisLoss, async (req, res) => {
      const body = parseInput(lossRequestSchema, req.body, 'body');
      const { format } = parseInput(formatQuerySchema, req.query, 'query');
      const a = await lossForGeometry(db, analysis.rasters, body.geometry, { layer: body.layer, treecover: body.treecover ?? null, threshold: body.threshold, bufferM: body.buffer_m }, { pool: analysis.pool, geometry: analysis.geometry, limits: limitsFor(actorOf(res)) });
      sendTable(res, format, 'loss-analysis', a, yearRows(a));
    })
    .get(apiPaths.areaLoss(':id'), subjectRoute('area'))
    .get(apiPaths.siteLoss(':id'), subjectRoute('site'))
    .get(apiPaths.activityLoss(':id'), subjectRoute('activity'))
    .get(apiPaths.statistics, async (req, res) => {
      const q = parseInput(statisticsQuerySchema, req.query, 'query');
      const layers = await resolveLayers(db, choiceOf(q));
      const bufferM = q.buffer_m ?? (q.subject === 'area' ? 0 : analysis.siteBufferM);
      const items = await storedStatistics(db, q.subject, layers, bufferM, q.subject === 'area' ? q.kind : undefined);
      sendTable(
        res,
        q.format,
        `${q.subject}-loss-statistics`,
        { subject: q.subject, kind: q.kind ?? null, count: items.length, items },
        items.flatMap((i) => yearRows(i, { subject: i.subject, id: i.id })),
      );
    })
    .post(apiPaths.statisticsJobs, requireRole('admin'), async (req, res) => {
      const body = parseInput(statisticsJobSchema, req.body ?? {}, 'body');
      // Checked now, so a bad layer name is a 4xx here rather than a failed job later.
      await resolveLayers(db, { layer: body.layer, treecover: body.treecover, threshold: body.threshold });
      const params: StatisticsJobParams = { areas: body.areas, sites: body.sites, activities: body.activities, force: body.force, buffer_m: body.buffer_m ?? analysis.siteBufferM };
      if (body.kind) params.kind = body.kind;
      if (body.layer !== undefined) params.layer = body.layer;
      if (body.treecover !== undefined) params.treecover = body.treecover;
      if (body.threshold !== undefined) params.threshold = body.threshold;
      const job = await analysis.jobs.enqueue(STATISTICS_JOB, params as Record<string, unknown>);
      res.status(202).location(apiPaths.job(job.id)).json(job);
    })
    .get(apiPaths.job(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      res.json(await analysis.jobs.get(id));
    });
}
