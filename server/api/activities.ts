import { z } from 'zod';
import { pageQuerySchema } from './common';
import { siteCollectionSchema } from './sites';

export const activityStatuses = ['planned', 'ongoing', 'completed', 'suspended'] as const;
export const fundingStatuses = ['funded', 'partially_funded', 'seeking_funding', 'unfunded'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD');

export const activitiesQuerySchema = pageQuerySchema.extend({
  priorityArea: z.string().regex(/^[A-E]$/, 'priorityArea is one of A-E').optional(),
  actionArea: z.string().regex(/^[A-E][0-9]$/, 'actionArea is a code such as B2').optional(),
  goal: z.string().regex(/^[A-E]$/, 'goal is one of A-E').optional(),
  status: z.enum(activityStatuses).optional(),
  fundingStatus: z.enum(fundingStatuses).optional(),
  leadAgency: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  activeOn: isoDate.optional(),
});
export type ActivitiesQuery = z.infer<typeof activitiesQuerySchema>;

export const activitySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  summary: z.string(),
  /** Spanish title and summary; null where not translated (clients show the English then). */
  titleEs: z.string().nullable(),
  summaryEs: z.string().nullable(),
  priorityArea: z.string(),
  actionAreas: z.array(z.string()),
  goals: z.array(z.string()),
  leadAgency: z.string(),
  implementingPartners: z.array(z.string()),
  fundingStatus: z.enum(fundingStatuses),
  startDate: isoDate.nullable(),
  endDate: isoDate.nullable(),
  status: z.enum(activityStatuses),
  published: z.boolean(),
  siteCount: z.number().int(),
  attributes: z.record(z.string(), z.unknown()),
});
export type Activity = z.infer<typeof activitySchema>;

export const activityListSchema = z.object({
  numberMatched: z.number().int(),
  numberReturned: z.number().int(),
  activities: z.array(activitySchema),
});
export type ActivityList = z.infer<typeof activityListSchema>;

export const activityDetailSchema = activitySchema.extend({ sites: siteCollectionSchema });
export type ActivityDetail = z.infer<typeof activityDetailSchema>;

/** Ids are PostgreSQL integers: larger ones are no id at all (and would fail in the database). */
export const idParamSchema = z.object({ id: z.coerce.number().int('id is a positive integer').positive('id is a positive integer').max(2_147_483_647, 'id is a positive integer below 2^31') });
