import { z } from 'zod';

export const rasterLegendSchema = z.object({
  unit: z.string(),
  entries: z.array(z.object({ year: z.number().int(), code: z.number().int(), color: z.string() })),
});

/** One entry of GET /api/rasters. */
export const rasterLayerSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  version: z.string().nullable(),
  /** minLon, minLat, maxLon, maxLat of the stored grid; zeros until the layer is ingested. */
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  ready: z.boolean(),
  legend: rasterLegendSchema.nullable(),
  /** The loss layer analyses use when none is chosen (and its tree cover partner). */
  default: z.boolean(),
  attributes: z.record(z.string(), z.unknown()),
});
export type RasterLayer = z.infer<typeof rasterLayerSchema>;

/** Form fields of POST /api/rasters (multipart, beside the files). */
export const rasterRegisterFieldsSchema = z.object({
  kind: z.enum(['lossyear', 'treecover']),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'name: letters, digits, _ and -, at most 63'),
  version: z.string().trim().max(100).optional(),
  treecover: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'treecover: the name of a registered tree cover layer').optional(),
  /** Who made the data, its licence and a one-line description, shown with the layer. */
  source: z.string().trim().min(1).max(300).optional(),
  licence: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().min(1).max(500).optional(),
  /** 'none' for a loss-year layer that is not Hansen's (no 2011 method-change note). */
  method_note: z.enum(['hansen', 'none']).optional(),
});

/** Query of the raster PNG tiles: years of loss shown and the forest mask. */
export const rasterTileQuerySchema = z
  .object({
    from: z.coerce.number().int().min(2001).max(2100).default(2001),
    to: z.coerce.number().int().min(2001).max(2100).default(2100),
    treecover: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'treecover is the name or id of a tree cover layer').optional(),
    threshold: z.coerce.number().int().min(0).max(100).optional(),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to' });
