// Offline area packages: what to take into the field (an area, an activity's or a site's
// surroundings, a drawn box) at which zooms, its estimate before building, and the packages built.
import { z } from 'zod';

export const packageSubjectSchema = z.enum(['area', 'activity', 'site', 'box']);

export const packageRequestSchema = z
  .object({
    subject: packageSubjectSchema,
    id: z.number().int().positive().optional(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
    min_zoom: z.number().int().min(0).max(16).default(8),
    max_zoom: z.number().int().min(0).max(16).default(15),
  })
  .strict()
  .refine((r) => (r.subject === 'box') === (r.bbox !== undefined) && (r.subject === 'box') === (r.id === undefined), {
    message: 'give id for an area, activity or site, and bbox (west, south, east, north) for a box',
  });
export type PackageRequest = z.infer<typeof packageRequestSchema>;

export const packageEstimateSchema = z.object({
  name: z.string(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  min_zoom: z.number().int(),
  max_zoom: z.number().int(),
  tiles: z.number().int(),
  per_zoom: z.array(z.object({ zoom: z.number().int(), tiles: z.number().int() })),
  bytes_estimate: z.number().int(),
});
export type PackageEstimate = z.infer<typeof packageEstimateSchema>;

export const areaPackageSchema = z.object({
  id: z.number().int(),
  subject: packageSubjectSchema,
  subject_id: z.number().int().nullable(),
  name: z.string(),
  min_zoom: z.number().int(),
  max_zoom: z.number().int(),
  bounds: z.array(z.number()),
  status: z.enum(['building', 'ready', 'failed']),
  job_id: z.number().int().nullable(),
  tiles: z.number().int().nullable(),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  message: z.string().nullable(),
  created_at: z.string(),
  built_at: z.string().nullable(),
  /** Where the archive and its JSON are downloaded (ready packages). */
  archive_url: z.string().nullable(),
  json_url: z.string().nullable(),
});
export type AreaPackage = z.infer<typeof areaPackageSchema>;
