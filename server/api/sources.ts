import { z } from 'zod';

const localized = z.object({ en: z.string(), es: z.string() });

/** One entry of GET /api/sources: a catalogue source, what it becomes, and how its last fetch went. */
export const sourceStatusSchema = z.object({
  id: z.string(),
  title: localized,
  protocol: z.enum(['arcgis-rest', 'wfs', 'http-file', 'tiles-10deg']),
  target: z.string(),
  licence: z.string(),
  attribution: z.string(),
  homepage: z.string().nullable(),
  /** The setting that overrides the address, and why it may need to (null when the address is known). */
  setting: z.string().nullable(),
  uncertain: z.string().nullable(),
  lastFetch: z
    .object({
      status: z.enum(['ok', 'not_modified', 'failed']),
      at: z.string(),
      message: z.string().nullable(),
      urls: z.number().int(),
      features: z.number().int().nullable(),
      bytes: z.number().nullable(),
    })
    .nullable(),
});
export type SourceStatus = z.infer<typeof sourceStatusSchema>;
