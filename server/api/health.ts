import { z } from 'zod';

export const healthSchema = z.object({
  /** busy: the database did not answer a ping within a second (a long statement runs); the server itself is fine. */
  status: z.enum(['ok', 'busy']),
  database: z.object({
    /** Answered the ping within a second. */
    responding: z.boolean(),
    kind: z.enum(['embedded', 'server']),
    postgres: z.string(),
    postgis: z.string(),
    migration: z.string().nullable(),
    latestMigration: z.string(),
    mvt: z.boolean(),
  }),
});
export type Health = z.infer<typeof healthSchema>;
