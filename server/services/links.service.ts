import type { Kysely } from 'kysely';
import type { ActivityLink, AreaActivities, MatrixCellQuery, MatrixQuery, ProgrammeMatrix } from '../api';
import type { Database } from '../db/schema';
import { findActivity } from '../db/repositories/activities.repository';
import { listAreaActivities, listActivitySiteLinks, matrixCellActivities, matrixCounts } from '../db/repositories/links.repository';
import { readProgrammeRows } from '../db/repositories/programme.repository';
import { NotFoundError } from '../errors';
import { areaKindCodes, findAreaHeader } from '../db/repositories/areas.repository';

const relations = ['inside', 'overlaps', 'within'] as const;
type Relation = (typeof relations)[number];

/** One entry per area the activity's sites touch; NotFoundError for an unknown activity. */
export async function getActivityLinks(db: Kysely<Database>, activityId: number): Promise<ActivityLink[]> {
  if (!(await findActivity(db, activityId, { publishedOnly: true }))) throw new NotFoundError(`No activity with id ${activityId}.`);
  const rows = await listActivitySiteLinks(db, activityId);
  const byArea = new Map<number, ActivityLink>();
  for (const r of rows) {
    let entry = byArea.get(r.area_id);
    if (!entry) {
      entry = {
        areaId: r.area_id, kind: r.kind, name: r.area_name, relation: 'within', overlapHa: null, distanceM: Infinity, siteCount: 0,
        countries: Array.isArray(r.countries) ? r.countries.map(String) : [], sites: [],
      };
      byArea.set(r.area_id, entry);
    }
    const relation = r.relation as Relation;
    if (relations.indexOf(relation) < relations.indexOf(entry.relation)) entry.relation = relation;
    if (r.overlap_ha !== null) entry.overlapHa = (entry.overlapHa ?? 0) + r.overlap_ha;
    entry.distanceM = Math.min(entry.distanceM, r.distance_m);
    entry.siteCount++;
    entry.sites.push({ siteId: r.site_id, siteName: r.site_name, relation, overlapHa: r.overlap_ha, shareOfSite: r.share_of_site, distanceM: r.distance_m, inPeru: r.in_peru });
  }
  return [...byArea.values()];
}

/** Activities working in or near an area, with counts by priority area and status. */
export async function getAreaActivities(db: Kysely<Database>, areaId: number): Promise<AreaActivities> {
  const area = await findAreaHeader(db, areaId);
  if (!area) throw new NotFoundError(`No area with id ${areaId}. List them at /api/areas.`);
  const rows = await listAreaActivities(db, areaId);
  const byPriorityArea: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  for (const r of rows) {
    byPriorityArea[r.priority_area_code] = (byPriorityArea[r.priority_area_code] ?? 0) + 1;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  }
  return {
    areaId: area.id,
    kind: area.kind,
    name: area.name,
    activities: rows.map((r) => ({
      activityId: r.activity_id, code: r.code, title: r.title, priorityArea: r.priority_area_code, status: r.status,
      relation: relations[r.relation_rank - 1]!, overlapHa: r.overlap_ha, distanceM: r.distance_m, siteCount: r.site_count,
    })),
    byPriorityArea,
    byStatus,
  };
}

/** Priority area (or action area) x area kind: activities, sites and hectares of overlap. */
export async function getProgrammeMatrix(db: Kysely<Database>, q: MatrixQuery): Promise<ProgrammeMatrix> {
  const [counts, programme, kinds] = await Promise.all([
    matrixCounts(db, q),
    readProgrammeRows(db),
    areaKindCodes(db),
  ]);
  const rows = q.rows === 'priorityArea' ? programme.priorityAreas : programme.actionAreas;
  const cells: ProgrammeMatrix['cells'] = {};
  for (const c of counts) {
    (cells[c.row_code] ??= {})[c.kind] = { activities: c.activities, sites: c.sites, overlapHa: c.overlap_ha };
  }
  return { rows: rows.map((r) => ({ code: r.code, title: { en: r.title_en, es: r.title_es } })), kinds, cells };
}

export async function getMatrixCell(db: Kysely<Database>, q: MatrixCellQuery) {
  const rows = await matrixCellActivities(db, q);
  return rows.map((r) => ({ activityId: r.activity_id, code: r.code, title: r.title, status: r.status, sites: r.sites, areas: r.areas, overlapHa: r.overlap_ha }));
}
