// Downloads: a selection of areas, sites or activities, and stored statistics with their subjects.
import { Router } from 'express';
import { apiPaths, exportQuerySchema, statisticsExportQuerySchema } from '../api';
import type { AppDeps } from '../app_deps';
import type { AnalysisContext } from '../services/analysis_context';
import { EXPORT_TYPES, exportName, exportSelection, exportStatistics } from '../services/exports.service';
import { parseInput } from './validate';

export function exportRoutes({ database, analysis }: AppDeps & { analysis: AnalysisContext }): Router {
  const db = database.db;
  return Router()
    .get(apiPaths.exports, async (req, res) => {
      const q = parseInput(exportQuerySchema, req.query, 'query');
      const t = EXPORT_TYPES[q.format];
      // Headers go out with the first bytes, so they are set only once the selection is known to be good.
      await exportSelection(db, q, res, () => res.attachment(`${exportName(q)}.${t.ext}`).type(t.type));
    })
    .get(apiPaths.statisticsExport, async (req, res) => {
      const q = parseInput(statisticsExportQuerySchema, req.query, 'query');
      const { name, body } = await exportStatistics(db, q, analysis.siteBufferM);
      const t = EXPORT_TYPES[q.format];
      res.attachment(`${name}.${t.ext}`).type(t.type).send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    });
}
