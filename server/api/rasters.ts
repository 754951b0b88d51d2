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
  attributes: z.record(z.string(), z.unknown()),
});
export type RasterLayer = z.infer<typeof rasterLayerSchema>;
