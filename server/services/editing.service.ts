// Editors' writes: activities and their sites, publishing of indicators and measurements. Every write
// checks the agency (an editor acts for the lead agencies they belong to; an admin for all), runs in
// one transaction, and is audited by the database trigger with the actor of the request.
import type { Kysely } from 'kysely';
import type { Activity, ActivityInputBody, ActivityList, SiteInputBody } from '../api';
import { requireAgency, requireRoleOf, type Actor } from '../auth/actor';
import { agencyExists, agencyOfActivity, agencyOfIndicator, agencyOfMeasurement, agencyOfSite } from '../db/repositories/agencies.repository';
import { activityIdByCode, findActivity, listActivities, renameActivityCode, upsertActivity } from '../db/repositories/activities.repository';
import { setIndicatorPublished, setMeasurementPublished } from '../db/repositories/indicators.repository';
import { unknownActionAreas } from '../db/repositories/programme.repository';
import { deleteSiteRow, insertSite, listSites, updateSiteRow } from '../db/repositories/sites.repository';
import type { Database } from '../db/schema';
import { AppError, BadRequestError } from '../errors';
import { toActivity } from './activities.service';
import { siteRowsToCollection } from './features.service';
import type { GeometryPool } from '../geometry/geometry_pool';
import type { GeometryLimits } from '../geometry/limits';
import { checkSiteGeometry } from './user_geometry.service';

/** Activities an editor may edit (drafts included): their agencies' (all for an admin). */
export async function manageableActivities(db: Kysely<Database>, actor: Actor): Promise<ActivityList> {
  const user = requireRoleOf(actor, 'editor');
  const { rows, total } = await listActivities(db, { limit: 10000, offset: 0, ...(user.role === 'admin' ? {} : { leadAgencies: user.agencies }) });
  return { numberMatched: total, numberReturned: rows.length, activities: rows.map(toActivity) };
}

export async function manageableActivity(db: Kysely<Database>, actor: Actor, id: number): Promise<Activity> {
  requireAgency(actor, await agencyOfActivity(db, id));
  return toActivity((await findActivity(db, id))!);
}

async function knownAgency(db: Kysely<Database>, code: string): Promise<void> {
  if (!(await agencyExists(db, code))) throw new BadRequestError(`Unknown lead agency ${code}: an admin adds agencies (POST /api/agencies).`);
}

async function knownActionAreas(db: Kysely<Database>, codes: string[]): Promise<void> {
  const missing = await unknownActionAreas(db, codes);
  if (missing.length) throw new BadRequestError(`Unknown action areas: ${missing.join(', ')}. See GET /api/programme.`);
}

export async function createActivity(db: Kysely<Database>, actor: Actor, input: ActivityInputBody): Promise<Activity> {
  requireAgency(actor, input.leadAgency);
  await knownAgency(db, input.leadAgency);
  await knownActionAreas(db, input.actionAreas);
  if ((await activityIdByCode(db, input.code)) !== undefined) throw new AppError('conflict', `An activity with code ${input.code} exists.`);
  const id = await db.transaction().execute((trx) => upsertActivity(trx, { ...input, properties: {} }));
  return toActivity((await findActivity(db, id))!);
}

/** Changes some fields; moving an activity to another agency needs the right to act for both. */
export async function updateActivity(db: Kysely<Database>, actor: Actor, id: number, patch: Partial<ActivityInputBody>): Promise<Activity> {
  requireAgency(actor, await agencyOfActivity(db, id));
  const current = toActivity((await findActivity(db, id))!);
  const next = { ...current, ...patch };
  if (patch.leadAgency && patch.leadAgency !== current.leadAgency) {
    requireAgency(actor, patch.leadAgency);
    await knownAgency(db, patch.leadAgency);
  }
  await knownActionAreas(db, next.actionAreas);
  if (patch.code && patch.code !== current.code && (await activityIdByCode(db, patch.code)) !== undefined) {
    throw new AppError('conflict', `An activity with code ${patch.code} exists.`);
  }
  await db.transaction().execute(async (trx) => {
    // upsertActivity keys on the code: rename first so the update lands on this row.
    if (patch.code && patch.code !== current.code) await renameActivityCode(trx, id, patch.code);
    await upsertActivity(trx, {
      code: next.code, title: next.title, summary: next.summary, titleEs: next.titleEs, summaryEs: next.summaryEs, priorityArea: next.priorityArea, actionAreas: next.actionAreas, goals: next.goals,
      leadAgency: next.leadAgency, implementingPartners: next.implementingPartners, fundingStatus: next.fundingStatus, startDate: next.startDate,
      endDate: next.endDate, status: next.status, published: next.published, properties: current.attributes,
    });
  });
  return toActivity((await findActivity(db, id))!);
}

/** How a site's geometry is checked before it is stored: the caller's limits, validity, a buffer at the statistics distance in time. */
export interface SiteGeometryCheck {
  pool: GeometryPool;
  limits: GeometryLimits;
  bufferM: number;
}

/** Every site of an activity its manager may see (drafts too), as GeoJSON. */
export async function manageableActivitySites(db: Kysely<Database>, actor: Actor, activityId: number): Promise<ReturnType<typeof siteRowsToCollection>> {
  await manageableActivity(db, actor, activityId);
  const sites = await listSites(db, { activityId, limit: 100000, offset: 0 });
  return siteRowsToCollection(sites.rows, sites.total);
}

export async function addSite(db: Kysely<Database>, actor: Actor, activityId: number, input: SiteInputBody, check: SiteGeometryCheck): Promise<{ id: number }> {
  requireAgency(actor, await agencyOfActivity(db, activityId));
  await checkSiteGeometry(check.pool, input.geometry, check.limits, check.bufferM);
  const id = await db.transaction().execute((trx) => insertSite(trx, { activityId, name: input.name, kind: input.kind, properties: {}, geojson: JSON.stringify(input.geometry) }));
  return { id };
}

export async function updateSite(db: Kysely<Database>, actor: Actor, siteId: number, patch: Partial<SiteInputBody>, check: SiteGeometryCheck): Promise<{ id: number }> {
  requireAgency(actor, await agencyOfSite(db, siteId));
  if (patch.geometry) await checkSiteGeometry(check.pool, patch.geometry, check.limits, check.bufferM);
  await db.transaction().execute(async (trx) => {
    await updateSiteRow(trx, siteId, {
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.kind ? { kind: patch.kind } : {}),
      ...(patch.geometry ? { geojson: JSON.stringify(patch.geometry) } : {}),
    });
  });
  return { id: siteId };
}

export async function deleteSite(db: Kysely<Database>, actor: Actor, siteId: number): Promise<void> {
  requireAgency(actor, await agencyOfSite(db, siteId));
  await db.transaction().execute((trx) => deleteSiteRow(trx, siteId));
}

export async function publishIndicator(db: Kysely<Database>, actor: Actor, indicatorId: number, published: boolean): Promise<void> {
  requireAgency(actor, await agencyOfIndicator(db, indicatorId));
  await db.transaction().execute((trx) => setIndicatorPublished(trx, indicatorId, published));
}

export async function publishMeasurement(db: Kysely<Database>, actor: Actor, measurementId: number, published: boolean): Promise<void> {
  requireAgency(actor, await agencyOfMeasurement(db, measurementId));
  await db.transaction().execute((trx) => setMeasurementPublished(trx, measurementId, published));
}
