import { z } from 'zod';
import { activityStatuses, fundingStatuses } from './activities';

export const linkRelations = ['inside', 'overlaps', 'within'] as const;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD');
export const formatParam = z.enum(['json', 'csv']).default('json');
export const formatQuerySchema = z.object({ format: formatParam });

export const siteLinkSchema = z.object({
  siteId: z.number().int(),
  siteName: z.string(),
  relation: z.enum(linkRelations),
  overlapHa: z.number().nullable(),
  shareOfSite: z.number().nullable(),
  distanceM: z.number(),
  /** For cross-boundary areas: whether the site lies in Peru. */
  inPeru: z.boolean(),
});

export const activityLinkSchema = z.object({
  areaId: z.number().int(),
  kind: z.string(),
  name: z.string(),
  /** The strongest relation of any of the activity's sites: inside > overlaps > within. */
  relation: z.enum(linkRelations),
  overlapHa: z.number().nullable(),
  distanceM: z.number(),
  siteCount: z.number().int(),
  /** Countries sharing the area (watersheds), from its attributes; empty when not given. */
  countries: z.array(z.string()),
  sites: z.array(siteLinkSchema),
});
export type ActivityLink = z.infer<typeof activityLinkSchema>;

export const areaActivitySchema = z.object({
  activityId: z.number().int(),
  code: z.string(),
  title: z.string(),
  priorityArea: z.string(),
  status: z.string(),
  relation: z.enum(linkRelations),
  overlapHa: z.number().nullable(),
  distanceM: z.number(),
  siteCount: z.number().int(),
});
export const areaActivitiesSchema = z.object({
  areaId: z.number().int(),
  kind: z.string(),
  name: z.string(),
  activities: z.array(areaActivitySchema),
  byPriorityArea: z.record(z.string(), z.number().int()),
  byStatus: z.record(z.string(), z.number().int()),
});
export type AreaActivities = z.infer<typeof areaActivitiesSchema>;

export const matrixQuerySchema = z.object({
  rows: z.enum(['priorityArea', 'actionArea']).default('priorityArea'),
  status: z.enum(activityStatuses).optional(),
  goal: z.string().regex(/^[A-E]$/, 'goal is one of A-E').optional(),
  fundingStatus: z.enum(fundingStatuses).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  format: formatParam,
});
export type MatrixQuery = z.infer<typeof matrixQuerySchema>;

export const matrixCellSchema = z.object({ activities: z.number().int(), sites: z.number().int(), overlapHa: z.number() });
export const programmeMatrixSchema = z.object({
  rows: z.array(z.object({ code: z.string(), title: z.object({ en: z.string(), es: z.string() }) })),
  kinds: z.array(z.string()),
  /** cells[row code][area kind]; absent = no activity. */
  cells: z.record(z.string(), z.record(z.string(), matrixCellSchema)),
});
export type ProgrammeMatrix = z.infer<typeof programmeMatrixSchema>;

export const matrixCellQuerySchema = matrixQuerySchema.extend({
  row: z.string().regex(/^[A-E][0-9]?$/, 'row is a priority area (B) or an action area (B2)'),
  kind: z.string().regex(/^[a-z][a-z0-9_]*$/),
});
export type MatrixCellQuery = z.infer<typeof matrixCellQuerySchema>;
