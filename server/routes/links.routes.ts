import { Router } from 'express';
import { apiPaths, formatQuerySchema, idParamSchema, matrixCellQuerySchema, matrixQuerySchema } from '../api';
import type { AppDeps } from '../app_deps';
import { getActivityLinks, getAreaActivities, getMatrixCell, getProgrammeMatrix } from '../services/links.service';
import { sendTable } from './send_table';
import { parseInput } from './validate';

export function linkRoutes({ database }: AppDeps): Router {
  const db = database.db;
  return Router()
    .get(apiPaths.activityLinks(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      const { format } = parseInput(formatQuerySchema, req.query, 'query');
      const links = await getActivityLinks(db, id);
      const flat = links.flatMap((l) => l.sites.map((s) => ({ area_id: l.areaId, kind: l.kind, area_name: l.name, countries: l.countries.join(' '), site_id: s.siteId, site_name: s.siteName, relation: s.relation, overlap_ha: s.overlapHa, share_of_site: s.shareOfSite, distance_m: s.distanceM, site_in_peru: s.inPeru })));
      sendTable(res, format, `activity-${id}-links`, links, flat);
    })
    .get(apiPaths.areaActivities(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      const { format } = parseInput(formatQuerySchema, req.query, 'query');
      const result = await getAreaActivities(db, id);
      sendTable(res, format, `area-${id}-activities`, result, result.activities.map((a) => ({ ...a })));
    })
    .get(apiPaths.matrix, async (req, res) => {
      const q = parseInput(matrixQuerySchema, req.query, 'query');
      const m = await getProgrammeMatrix(db, q);
      const flat = m.rows.map((r) => {
        const row: Record<string, unknown> = { [q.rows === 'priorityArea' ? 'priority_area' : 'action_area']: r.code, title: r.title.en };
        for (const k of m.kinds) {
          const c = m.cells[r.code]?.[k];
          row[`${k}_activities`] = c?.activities ?? 0;
          row[`${k}_sites`] = c?.sites ?? 0;
          row[`${k}_overlap_ha`] = c?.overlapHa ?? 0;
        }
        return row;
      });
      sendTable(res, q.format, 'programme-matrix', m, flat);
    })
    .get(apiPaths.matrixCell, async (req, res) => {
      const q = parseInput(matrixCellQuerySchema, req.query, 'query');
      const rows = await getMatrixCell(db, q);
      sendTable(res, q.format, `matrix-${q.row}-${q.kind}`, rows, rows);
    });
}
