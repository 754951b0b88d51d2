import { z } from 'zod';
import { bboxSchema, featureCollectionSchema, pageQuerySchema } from './common';

export const sitesQuerySchema = pageQuerySchema.extend({
  bbox: bboxSchema.optional(),
  activityId: z.coerce.number().int().positive().optional(),
  priorityArea: z.string().regex(/^[A-E]$/, 'priorityArea is one of A-E').optional(),
});
export type SitesQuery = z.infer<typeof sitesQuerySchema>;

export const sitePropertiesSchema = z.object({
  name: z.string(),
  kind: z.string(),
  activityId: z.number().int(),
  activityCode: z.string(),
  priorityArea: z.string(),
  status: z.string(),
  attributes: z.record(z.string(), z.unknown()),
});
export type SiteProperties = z.infer<typeof sitePropertiesSchema>;

export const siteCollectionSchema = featureCollectionSchema(sitePropertiesSchema);
export type SiteCollection = z.infer<typeof siteCollectionSchema>;
