// The agency responsible for an object: the lead agency of its activity. Unknown objects are 404.
import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { NotFoundError } from '../../errors';

export async function agencyOfActivity(db: Kysely<Database>, activityId: number): Promise<string> {
  const row = await db.selectFrom('activity').select('lead_agency').where('id', '=', activityId).executeTakeFirst();
  if (!row) throw new NotFoundError(`No activity ${activityId}.`);
  return row.lead_agency;
}

export async function agencyOfActivityCode(db: Kysely<Database>, code: string): Promise<string> {
  const row = await db.selectFrom('activity').select('lead_agency').where('code', '=', code).executeTakeFirst();
  if (!row) throw new NotFoundError(`No activity with code ${code}.`);
  return row.lead_agency;
}

export async function agencyOfIndicator(db: Kysely<Database>, indicatorId: number): Promise<string> {
  const row = await db.selectFrom('indicator as i').innerJoin('activity as a', 'a.id', 'i.activity_id').select('a.lead_agency').where('i.id', '=', indicatorId).executeTakeFirst();
  if (!row) throw new NotFoundError(`No indicator ${indicatorId}.`);
  return row.lead_agency;
}

export async function agencyOfSite(db: Kysely<Database>, siteId: number): Promise<string> {
  const row = await db.selectFrom('site as s').innerJoin('activity as a', 'a.id', 's.activity_id').select('a.lead_agency').where('s.id', '=', siteId).executeTakeFirst();
  if (!row) throw new NotFoundError(`No site ${siteId}.`);
  return row.lead_agency;
}

/** Every agency, by code. */
export function listAgencies(db: Kysely<Database>): Promise<{ code: string; name: string }[]> {
  return db.selectFrom('agency').select(['code', 'name']).orderBy('code').execute();
}

/** Creates an agency, or renames the one with that code. */
export function upsertAgency(db: Kysely<Database>, agency: { code: string; name: string }): Promise<{ code: string; name: string }> {
  return db.transaction().execute((trx) => trx.insertInto('agency').values(agency).onConflict((oc) => oc.column('code').doUpdateSet({ name: agency.name })).returning(['code', 'name']).executeTakeFirstOrThrow());
}

export async function agencyExists(db: Kysely<Database>, code: string): Promise<boolean> {
  return !!(await db.selectFrom('agency').select('code').where('code', '=', code).executeTakeFirst());
}

/** The lead agency of a measurement's activity. */
export async function agencyOfMeasurement(db: Kysely<Database>, measurementId: number): Promise<string> {
  const row = await db.selectFrom('measurement as m').innerJoin('indicator as i', 'i.id', 'm.indicator_id').innerJoin('activity as a', 'a.id', 'i.activity_id').select('a.lead_agency').where('m.id', '=', measurementId).executeTakeFirst();
  if (!row) throw new NotFoundError(`No measurement ${measurementId}.`);
  return row.lead_agency;
}
