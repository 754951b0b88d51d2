// Editors' writes: activities and their sites, publishing of indicators and measurements. Every write
// checks the agency (an editor acts for the lead agencies they belong to; an admin for all), runs in
// one transaction, and is audited by the database trigger with the actor of the request.
import { sql, type Kysely } from 'kysely';
import type { Activity, ActivityInputBody, ActivityList, SiteInputBody } from '../api';
import { requireAgency, requireRoleOf, type Actor } from '../auth/actor';
import { agencyOfActivity, agencyOfSite } from '../db/repositories/agencies.repository';
import { findActivity, listActivities, upsertActivity } from '../db/repositories/activities.repository';
import { insertSite, listSites } from '../db/repositories/sites.repository';
import type { Database } from '../db/schema';
import { AppError, BadRequestError, NotFoundError } from '../errors';
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
  const row = await db.selectFrom('agency').select('code').where('code', '=', code).executeTakeFirst();
  if (!row) throw new BadRequestError(`Unknown lead agency ${code}: an admin adds agencies (POST /api/agencies).`);
}

async function knownActionAreas(db: Kysely<Database>, codes: string[]): Promise<void> {
  if (!codes.length) return;
  const known = new Set((await db.selectFrom('action_area').select('code').where('code', 'in', codes).execute()).map((r) => r.code));
  const missing = codes.filter((c) => !known.has(c));
  if (missing.length) throw new BadRequestError(`Unknown action areas: ${missing.join(', ')}. See GET /api/programme.`);
}

export async function createActivity(db: Kysely<Database>, actor: Actor, input: ActivityInputBody): Promise<Activity> {
  requireAgency(actor, input.leadAgency);
  await knownAgency(db, input.leadAgency);
  await knownActionAreas(db, input.actionAreas);
  if (await db.selectFrom('activity').select('id').where('code', '=', input.code).executeTakeFirst()) throw new AppError('conflict', `An activity with code ${input.code} exists.`);
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
  if (patch.code && patch.code !== current.code && (await db.selectFrom('activity').select('id').where('code', '=', patch.code).executeTakeFirst())) {
    throw new AppError('conflict', `An activity with code ${patch.code} exists.`);
  }
  await db.transaction().execute(async (trx) => {
    // upsertActivity keys on the code: rename first so the update lands on this row.
    if (patch.code && patch.code !== current.code) await trx.updateTable('activity').set({ code: patch.code }).where('id', '=', id).execute();
    await upsertActivity(trx, {
      code: next.code, title: next.title, summary: next.summary, priorityArea: next.priorityArea, actionAreas: next.actionAreas, goals: next.goals,
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
    await trx.updateTable('site').set({
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.kind ? { kind: patch.kind } : {}),
      ...(patch.geometry ? { geom: sql<string>`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(patch.geometry)}), 4326)` } : {}),
      updated_at: sql<Date>`now()` as never,
    }).where('id', '=', siteId).execute();
  });
  return { id: siteId };
}

export async function deleteSite(db: Kysely<Database>, actor: Actor, siteId: number): Promise<void> {
  requireAgency(actor, await agencyOfSite(db, siteId));
  await db.transaction().execute((trx) => trx.deleteFrom('site').where('id', '=', siteId).execute());
}

export async function publishIndicator(db: Kysely<Database>, actor: Actor, indicatorId: number, published: boolean): Promise<void> {
  const row = await db.selectFrom('indicator as i').innerJoin('activity as a', 'a.id', 'i.activity_id').select('a.lead_agency').where('i.id', '=', indicatorId).executeTakeFirst();
  if (!row) throw new NotFoundError(`No indicator ${indicatorId}.`);
  requireAgency(actor, row.lead_agency);
  await db.transaction().execute((trx) => trx.updateTable('indicator').set({ published }).where('id', '=', indicatorId).execute());
}

export async function publishMeasurement(db: Kysely<Database>, actor: Actor, measurementId: number, published: boolean): Promise<void> {
  const row = await db.selectFrom('measurement as m').innerJoin('indicator as i', 'i.id', 'm.indicator_id').innerJoin('activity as a', 'a.id', 'i.activity_id').select('a.lead_agency').where('m.id', '=', measurementId).executeTakeFirst();
  if (!row) throw new NotFoundError(`No measurement ${measurementId}.`);
  requireAgency(actor, row.lead_agency);
  await db.transaction().execute((trx) => trx.updateTable('measurement').set({ published }).where('id', '=', measurementId).execute());
}
