import type { Kysely } from 'kysely';
import type { Programme } from '../api';
import type { Database } from '../db/schema';
import { readProgrammeRows } from '../db/repositories/programme.repository';
import { readWorkProgram } from '../seed/workprogram';

// The title comes from the committed data file, which does not change while the server runs.
let programmeTitle: Programme['title'] | undefined;

/** The Work Program structure: goals, and priority areas with their objectives and action areas. */
export async function getProgramme(db: Kysely<Database>): Promise<Programme> {
  const rows = await readProgrammeRows(db);
  return {
    title: (programmeTitle ??= readWorkProgram().title),
    goals: rows.goals.map((g) => ({ code: g.code, title: { en: g.title_en, es: g.title_es } })),
    priorityAreas: rows.priorityAreas.map((p) => ({
      code: p.code,
      title: { en: p.title_en, es: p.title_es },
      objectives: rows.objectives
        .filter((o) => o.priority_area_code === p.code)
        .map((o) => ({ number: o.number, text: { en: o.text_en, es: o.text_es } })),
      actionAreas: rows.actionAreas
        .filter((a) => a.priority_area_code === p.code)
        .map((a) => ({ code: a.code, title: { en: a.title_en, es: a.title_es } })),
    })),
  };
}
