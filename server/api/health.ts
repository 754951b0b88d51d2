import { z } from 'zod';

export const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.object({
    kind: z.enum(['embedded', 'server']),
    postgres: z.string(),
    postgis: z.string(),
    migration: z.string().nullable(),
    latestMigration: z.string(),
    mvt: z.boolean(),
  }),
});
export type Health = z.infer<typeof healthSchema>;
