import { z } from 'zod';
import { bboxSchema, featureCollectionSchema, pageQuerySchema } from './common';

export const areaKindCodeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'kind is a lower-case code such as protected_area or forest_concession');

export const areasQuerySchema = pageQuerySchema.extend({
  kind: areaKindCodeSchema.optional(),
  bbox: bboxSchema.optional(),
});
export type AreasQuery = z.infer<typeof areasQuerySchema>;

export const areaPropertiesSchema = z.object({
  kind: z.string(),
  sourceId: z.string(),
  name: z.string(),
  areaHa: z.number(),
  attributes: z.record(z.string(), z.unknown()),
});
export type AreaProperties = z.infer<typeof areaPropertiesSchema>;

export const areaCollectionSchema = featureCollectionSchema(areaPropertiesSchema);
export type AreaCollection = z.infer<typeof areaCollectionSchema>;

export const areaKindSchema = z.object({
  code: z.string(),
  label: z.object({ en: z.string(), es: z.string() }),
  linkDistanceM: z.number(),
  count: z.number().int(),
  /** Where its areas came from (each import's source and licence), for the map's attribution. */
  sources: z.array(z.object({ source: z.string(), licence: z.string().nullable(), synthetic: z.boolean() })),
});
export type AreaKind = z.infer<typeof areaKindSchema>;
