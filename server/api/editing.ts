import { z } from 'zod';
import { activityStatuses, fundingStatuses } from './activities';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD');
const text = (max: number, what: string) => z.string().trim().min(1, `${what} is required`).max(max, `${what} is at most ${max} characters`);

const activityFields = {
  code: z.string().trim().regex(/^[A-E]-\d{2,3}[a-z]?$/, 'code is the priority area letter, a dash and a number, such as B-12'),
  title: text(300, 'title'),
  summary: z.string().trim().max(5000, 'summary is at most 5000 characters'),
  /** The title and summary in Spanish; empty or null = not translated. */
  titleEs: z.string().trim().max(300, 'the Spanish title is at most 300 characters').nullable().transform((v) => v || null),
  summaryEs: z.string().trim().max(5000, 'the Spanish summary is at most 5000 characters').nullable().transform((v) => v || null),
  priorityArea: z.string().regex(/^[A-E]$/, 'priority area is one of A-E'),
  actionAreas: z.array(z.string().regex(/^[A-E][0-9]$/, 'an action area is a code such as B2')).max(20),
  goals: z.array(z.string().regex(/^[A-E]$/, 'a goal is one of A-E')).max(5),
  leadAgency: text(64, 'lead agency'),
  implementingPartners: z.array(z.string().trim().min(1).max(200)).max(30),
  fundingStatus: z.enum(fundingStatuses),
  startDate: isoDate.nullable(),
  endDate: isoDate.nullable(),
  status: z.enum(activityStatuses),
  published: z.boolean(),
};

/** An activity as an editor writes it; drafts (published: false) are seen only by signed-in users. */
export const activityInputSchema = z.object({
  ...activityFields,
  summary: activityFields.summary.default(''),
  titleEs: activityFields.titleEs.optional(),
  summaryEs: activityFields.summaryEs.optional(),
  actionAreas: activityFields.actionAreas.default([]),
  goals: activityFields.goals.default([]),
  implementingPartners: activityFields.implementingPartners.default([]),
  startDate: activityFields.startDate.default(null),
  endDate: activityFields.endDate.default(null),
  published: activityFields.published.default(false),
}).strict().refine((a) => !a.startDate || !a.endDate || a.endDate >= a.startDate, { message: 'the end date is before the start date', path: ['endDate'] })
  .refine((a) => a.code.startsWith(`${a.priorityArea}-`), { message: 'the code starts with the priority area letter', path: ['code'] })
  .refine((a) => a.actionAreas.every((x) => x.startsWith(a.priorityArea)), { message: 'action areas belong to the activity\'s priority area', path: ['actionAreas'] });
/** A change to some fields (no defaults: what is not sent stays as it is). */
export const activityPatchSchema = z.object(activityFields).partial().strict();
export type ActivityInputBody = z.infer<typeof activityInputSchema>;

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)], { error: 'a position is [longitude, latitude] in EPSG:4326' });
const ring = z.array(position).min(4, 'a ring has at least 4 positions').max(100_000);
/** A GeoJSON geometry in lon/lat; checked for validity by PostGIS when stored. */
export const siteGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: position }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.array(position).min(1).max(10_000) }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(100_000) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position).min(2)).min(1).max(1000) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(1000) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1).max(1000) }),
], { error: 'geometry is a GeoJSON Point, LineString, Polygon or their Multi forms' });

export const siteInputSchema = z.object({
  name: text(300, 'name'),
  kind: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'kind is a lower-case word such as patrol_post').default('site'),
  geometry: siteGeometrySchema,
}).strict();
export type SiteInputBody = z.infer<typeof siteInputSchema>;
export const sitePatchSchema = z.object({ name: text(300, 'name').optional(), kind: siteInputSchema.shape.kind.optional(), geometry: siteGeometrySchema.optional() }).strict();

export const publishSchema = z.object({ published: z.boolean() }).strict();
