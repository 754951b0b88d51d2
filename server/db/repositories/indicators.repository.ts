import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema';
import type { IndicatorInput, MeasurementInput } from '../../api';

export type IndicatorRow = Awaited<ReturnType<typeof listIndicatorRows>>[number];
export type MeasurementRow = Awaited<ReturnType<typeof listMeasurementRows>>[number];

export function listIndicatorRows(db: Kysely<Database>, filter: { activityIds?: number[]; ids?: number[]; kind?: 'manual' | 'spatial' }) {
  let q = db.selectFrom('indicator').selectAll();
  if (filter.activityIds) q = q.where('activity_id', 'in', filter.activityIds.length ? filter.activityIds : [-1]);
  if (filter.ids) q = q.where('id', 'in', filter.ids.length ? filter.ids : [-1]);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  return q.orderBy('activity_id').orderBy('id').execute();
}

/** Current measurements only, unless `history` (then superseded computed values too). */
export function listMeasurementRows(db: Kysely<Database>, indicatorIds: number[], history = false, publishedOnly = false) {
  let q = db
    .selectFrom('measurement')
    .select(['id', 'indicator_id', sql<string>`measured_at::text`.as('measured_at'), 'value', 'source', 'note', 'origin', 'inputs', 'created_at', 'superseded_at'])
    .where('indicator_id', 'in', indicatorIds.length ? indicatorIds : [-1]);
  if (!history) q = q.where('superseded_at', 'is', null);
  if (publishedOnly) q = q.where('published', '=', true);
  return q.orderBy('indicator_id').orderBy('measured_at').orderBy('id').execute();
}

export async function insertIndicator(db: Kysely<Database> | Transaction<Database>, activityId: number, v: IndicatorInput): Promise<number> {
  const row = await db
    .insertInto('indicator')
    .values({
      activity_id: activityId,
      name: v.name,
      unit: v.unit,
      name_es: v.name_es ?? null,
      unit_es: v.unit_es ?? null,
      direction: v.direction,
      kind: v.kind,
      definition: JSON.stringify(v.definition ?? {}),
      baseline_value: v.baseline_value ?? null,
      baseline_year: v.baseline_year ?? null,
      target_value: v.target_value ?? null,
      target_year: v.target_year ?? null,
      published: v.published,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertMeasurement(db: Kysely<Database> | Transaction<Database>, indicatorId: number, m: MeasurementInput): Promise<number> {
  const row = await db
    .insertInto('measurement')
    .values({ indicator_id: indicatorId, measured_at: m.measured_at, value: m.value, source: m.source ?? null, note: m.note ?? null, origin: 'manual', published: m.published })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Replaces an indicator's current computed values in one transaction: the old ones are kept,
 * marked superseded, so history shows what was reported before the inputs changed.
 */
export async function replaceComputedValues(
  db: Kysely<Database>,
  indicatorId: number,
  inputHash: string,
  values: { measured_at: string; value: number }[],
  inputs: Record<string, unknown>,
  source: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('measurement').set({ superseded_at: sql`now()` }).where('indicator_id', '=', indicatorId).where('origin', '=', 'computed').where('superseded_at', 'is', null).execute();
    if (values.length) {
      await trx
        .insertInto('measurement')
        .values(values.map((v) => ({ indicator_id: indicatorId, measured_at: v.measured_at, value: v.value, source, note: null, origin: 'computed' as const, inputs: JSON.stringify(inputs) })))
        .execute();
    }
    await trx.updateTable('indicator').set({ input_hash: inputHash, computed_at: sql`now()`, error: null, updated_at: sql`now()` }).where('id', '=', indicatorId).execute();
  });
}

export async function markIndicatorError(db: Kysely<Database>, indicatorId: number, error: string): Promise<void> {
  await db.updateTable('indicator').set({ error }).where('id', '=', indicatorId).execute();
}

export async function setIndicatorPublished(trx: Transaction<Database>, indicatorId: number, published: boolean): Promise<void> {
  await trx.updateTable('indicator').set({ published }).where('id', '=', indicatorId).execute();
}

export async function setMeasurementPublished(trx: Transaction<Database>, measurementId: number, published: boolean): Promise<void> {
  await trx.updateTable('measurement').set({ published }).where('id', '=', measurementId).execute();
}

/** The indicator of an activity with this name, if there is one (names are unique per activity). */
export function indicatorNamed(db: Kysely<Database>, activityId: number, name: string): Promise<{ id: number } | undefined> {
  return db.selectFrom('indicator').select('id').where('activity_id', '=', activityId).where('name', '=', name).executeTakeFirst();
}

export async function deleteIndicatorsOfActivity(trx: Transaction<Database>, activityId: number): Promise<void> {
  await trx.deleteFrom('indicator').where('activity_id', '=', activityId).execute();
}
