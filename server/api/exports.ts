// Exports of selections and statistics in the formats GIS users open directly.
import { z } from 'zod';
import { bboxSchema } from './common';
import { lossQuerySchema } from './analysis';

export const exportFormats = ['geojson', 'csv', 'gpkg', 'shp'] as const;

const idList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'ids is a comma-separated list of ids')
  .transform((s) => s.split(',').map(Number))
  // Ids are PostgreSQL integers: a larger number is no id (and would fail the query as a 500).
  .refine((ids) => ids.every((id) => id <= 2_147_483_647), 'an id is at most 2147483647')
  .refine((ids) => ids.length <= 10_000, 'at most 10000 ids; export a larger selection by kind or bbox');

export const exportQuerySchema = z.object({
  what: z.enum(['areas', 'sites', 'activities']),
  kind: z.string().regex(/^[a-z][a-z0-9_]*$/, 'kind is an area kind such as forest_concession').optional(),
  bbox: bboxSchema.optional(),
  ids: idList.optional(),
  activity_id: z.coerce.number().int().positive().optional(),
  priority_area: z.string().regex(/^[A-Z]$/, 'priority_area is a letter such as B').optional(),
  status: z.enum(['planned', 'ongoing', 'completed', 'suspended']).optional(),
  format: z.enum(exportFormats).default('geojson'),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

export const statisticsExportQuerySchema = lossQuerySchema.omit({ format: true }).extend({
  subject: z.enum(['area', 'site', 'activity']).default('area'),
  kind: z.string().regex(/^[a-z][a-z0-9_]*$/, 'kind is an area kind such as forest_concession').optional(),
  format: z.enum(exportFormats).default('csv'),
});
export type StatisticsExportQuery = z.infer<typeof statisticsExportQuerySchema>;
