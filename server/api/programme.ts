import { z } from 'zod';
import { localizedTextSchema } from './common';

export const programmeSchema = z.object({
  title: localizedTextSchema,
  goals: z.array(z.object({ code: z.string(), title: localizedTextSchema })),
  priorityAreas: z.array(
    z.object({
      code: z.string(),
      title: localizedTextSchema,
      objectives: z.array(z.object({ number: z.number().int(), text: localizedTextSchema })),
      actionAreas: z.array(z.object({ code: z.string(), title: localizedTextSchema })),
    }),
  ),
});
export type Programme = z.infer<typeof programmeSchema>;
