import type { Kysely } from 'kysely';
import type { ActivitiesQuery, Activity, ActivityDetail, ActivityList } from '../api';
import type { Database } from '../db/schema';
import { findActivity, listActivities, type ActivityRow } from '../db/repositories/activities.repository';
import { listSites } from '../db/repositories/sites.repository';
import { NotFoundError } from '../errors';
import { siteRowsToCollection } from './features.service';

export function toActivity(r: ActivityRow): Activity {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    summary: r.summary,
    titleEs: r.title_es,
    summaryEs: r.summary_es,
    priorityArea: r.priority_area_code,
    actionAreas: r.action_areas,
    goals: r.goals,
    leadAgency: r.lead_agency,
    implementingPartners: r.implementing_partners,
    fundingStatus: r.funding_status as Activity['fundingStatus'],
    startDate: r.start_date,
    endDate: r.end_date,
    status: r.status as Activity['status'],
    published: r.published,
    siteCount: r.site_count,
    attributes: r.properties,
  };
}

/** A filtered page of published activities (editors list drafts at /api/manage/activities). */
export async function getActivities(db: Kysely<Database>, query: ActivitiesQuery): Promise<ActivityList> {
  const { rows, total } = await listActivities(db, { ...query, publishedOnly: true });
  return { numberMatched: total, numberReturned: rows.length, activities: rows.map(toActivity) };
}

/** One activity with all its sites; NotFoundError when the id does not exist. */
export async function getActivityDetail(db: Kysely<Database>, id: number): Promise<ActivityDetail> {
  const row = await findActivity(db, id, { publishedOnly: true });
  if (!row) throw new NotFoundError(`No activity with id ${id}. List them at /api/activities.`);
  const sites = await listSites(db, { activityId: id, limit: 100000, offset: 0, publishedOnly: true });
  return { ...toActivity(row), sites: siteRowsToCollection(sites.rows, sites.total) };
}
