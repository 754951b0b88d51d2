import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';

export interface ProgrammeRows {
  goals: { code: string; title_en: string; title_es: string }[];
  priorityAreas: { code: string; title_en: string; title_es: string }[];
  objectives: { priority_area_code: string; number: number; text_en: string; text_es: string }[];
  actionAreas: { code: string; priority_area_code: string; title_en: string; title_es: string }[];
}

/** All programme rows, ordered by code; empty lists before the programme is seeded. */
export async function readProgrammeRows(db: Kysely<Database>): Promise<ProgrammeRows> {
  const [goals, priorityAreas, objectives, actionAreas] = await Promise.all([
    db.selectFrom('programme_goal').selectAll().orderBy('code').execute(),
    db.selectFrom('priority_area').selectAll().orderBy('code').execute(),
    db
      .selectFrom('objective')
      .select(['priority_area_code', 'number', 'text_en', 'text_es'])
      .orderBy('priority_area_code')
      .orderBy('number')
      .execute(),
    db.selectFrom('action_area').selectAll().orderBy('code').execute(),
  ]);
  return { goals, priorityAreas, objectives, actionAreas };
}

/** Inserts or updates every programme row (by code), inside the caller's transaction. */
export async function upsertProgrammeRows(trx: Transaction<Database>, rows: ProgrammeRows): Promise<void> {
  for (const g of rows.goals) {
    await trx
      .insertInto('programme_goal')
      .values(g)
      .onConflict((oc) => oc.column('code').doUpdateSet({ title_en: g.title_en, title_es: g.title_es }))
      .execute();
  }
  for (const p of rows.priorityAreas) {
    await trx
      .insertInto('priority_area')
      .values(p)
      .onConflict((oc) => oc.column('code').doUpdateSet({ title_en: p.title_en, title_es: p.title_es }))
      .execute();
  }
  for (const o of rows.objectives) {
    await trx
      .insertInto('objective')
      .values(o)
      .onConflict((oc) =>
        oc.columns(['priority_area_code', 'number']).doUpdateSet({ text_en: o.text_en, text_es: o.text_es }),
      )
      .execute();
  }
  for (const a of rows.actionAreas) {
    await trx
      .insertInto('action_area')
      .values(a)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          priority_area_code: a.priority_area_code,
          title_en: a.title_en,
          title_es: a.title_es,
        }),
      )
      .execute();
  }
}

/** The codes among `codes` that are no action area of the programme. */
export async function unknownActionAreas(db: Kysely<Database>, codes: readonly string[]): Promise<string[]> {
  if (!codes.length) return [];
  const known = new Set((await db.selectFrom('action_area').select('code').where('code', 'in', codes).execute()).map((r) => r.code));
  return codes.filter((c) => !known.has(c));
}
