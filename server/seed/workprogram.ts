import fs from 'node:fs';
import { projectPath } from '../util/project_root';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { upsertProgrammeRows, type ProgrammeRows } from '../db/repositories/programme.repository';

const text = z.object({ en: z.string().min(1), es: z.string().min(1) });
const workProgramFileSchema = z.object({
  source: z.string(),
  title: text,
  goals: z.array(text.extend({ code: z.string().regex(/^[A-Z]$/) })),
  priorityAreas: z.array(
    text.extend({
      code: z.string().regex(/^[A-Z]$/),
      objectives: z.array(text),
      actionAreas: z.array(text.extend({ code: z.string().regex(/^[A-Z][0-9]+$/) })),
    }),
  ),
});
export type WorkProgramFile = z.infer<typeof workProgramFileSchema>;

export const workProgramPath = projectPath('data', 'workprogram.json');

/** Reads and validates data/workprogram.json, transcribed from the programme document. */
export function readWorkProgram(file = workProgramPath): WorkProgramFile {
  return workProgramFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export function toProgrammeRows(wp: WorkProgramFile): ProgrammeRows {
  return {
    goals: wp.goals.map((g) => ({ code: g.code, title_en: g.en, title_es: g.es })),
    priorityAreas: wp.priorityAreas.map((p) => ({ code: p.code, title_en: p.en, title_es: p.es })),
    objectives: wp.priorityAreas.flatMap((p) =>
      p.objectives.map((o, i) => ({ priority_area_code: p.code, number: i + 1, text_en: o.en, text_es: o.es })),
    ),
    actionAreas: wp.priorityAreas.flatMap((p) =>
      p.actionAreas.map((a) => ({ code: a.code, priority_area_code: p.code, title_en: a.en, title_es: a.es })),
    ),
  };
}

/** Seeds (or refreshes) the programme structure; safe to run on every start. */
export async function seedWorkProgram(db: Kysely<Database>, wp = readWorkProgram()): Promise<void> {
  await db.transaction().execute((trx) => upsertProgrammeRows(trx, toProgrammeRows(wp)));
}
