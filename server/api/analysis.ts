import { z } from 'zod';
import { formatParam } from './links';

const layerRef = z.union([z.number().int().positive(), z.string().trim().min(1).max(63)]);

/** POST /api/analysis/loss: a stable contract for outside tools. */
export const lossRequestSchema = z
  .object({
    /** A GeoJSON geometry in EPSG:4326 (Polygon, MultiPolygon, or any geometry with buffer_m). */
    geometry: z.object({ type: z.string(), coordinates: z.unknown().optional(), geometries: z.unknown().optional() }).passthrough(),
    /** Lossyear layer id or name; the default analysis layer when left out. */
    layer: layerRef.optional(),
    /** Tree cover layer id or name; without it every pixel counts as forest. */
    treecover: layerRef.nullable().optional(),
    threshold: z.number().int().min(0).max(100).default(30),
    buffer_m: z.number().min(0).max(100_000).optional(),
  })
  .strict();
export type LossRequest = z.infer<typeof lossRequestSchema>;

export const lossYearSchema = z.object({ year: z.number().int(), loss_ha: z.number(), loss_px: z.number().int() });

export const lossProvenanceSchema = z.object({
  layer: z.object({ id: z.number().int(), name: z.string(), version: z.string().nullable() }),
  treecover: z.object({ id: z.number().int(), name: z.string(), version: z.string().nullable() }).nullable(),
  threshold: z.number().int().nullable(),
  forest: z.string(),
  buffer_m: z.number().nullable(),
  rule: z.string(),
  raster_stamp: z.string(),
  computed_at: z.string(),
  /** Changes of method inside the series' years (Hansen: 2011). */
  methodology_notes: z.array(z.object({ year: z.number().int(), note: z.string() })),
});

export const lossAnswerSchema = z.object({
  area_ha: z.number(),
  forest2000_ha: z.number(),
  forest2000_px: z.number().int(),
  /** Share of the polygon's area that lies on the raster (0..1). */
  covered_fraction: z.number(),
  pixels: z.number().int(),
  total_loss_ha: z.number(),
  years: z.array(lossYearSchema),
  provenance: lossProvenanceSchema,
});
export type LossAnswerBody = z.infer<typeof lossAnswerSchema>;

/** Query of GET /api/{areas,sites,activities}/:id/loss. */
export const lossQuerySchema = z.object({
  layer: z.string().trim().min(1).max(63).optional(),
  /** A tree cover layer, or "none" for no forest mask; the loss layer's partner when left out. */
  treecover: z.string().trim().min(1).max(63).optional(),
  threshold: z.coerce.number().int().min(0).max(100).optional(),
  buffer_m: z.coerce.number().min(0).max(100_000).optional(),
  format: formatParam,
});

/** GET /api/statistics: stored statistics of many subjects. */
export const statisticsQuerySchema = lossQuerySchema.extend({
  subject: z.enum(['area', 'site', 'activity']).default('area'),
  kind: z.string().trim().min(1).max(63).optional(),
});

/** POST /api/statistics/jobs. */
export const statisticsJobSchema = z
  .object({
    kind: z.string().trim().min(1).max(63).optional(),
    areas: z.boolean().default(true),
    sites: z.boolean().default(false),
    activities: z.boolean().default(false),
    buffer_m: z.number().min(0).max(100_000).optional(),
    layer: layerRef.optional(),
    treecover: layerRef.nullable().optional(),
    threshold: z.number().int().min(0).max(100).optional(),
    force: z.boolean().default(false),
  })
  .strict();

export const jobSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  done: z.number().int(),
  total: z.number().int(),
  message: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;
