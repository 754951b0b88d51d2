// Field reports: an alert verified on the ground or a site visited, made on a device (often with no
// signal), sent later by its sync queue. The id is the device's UUID, so a report sent twice is one
// report. Supervisors (editors of the report's agency) accept or reject; the public sees accepted
// reports without who made them.
import { z } from 'zod';
import { alertCauseSchema, VERIFICATION_RESULTS } from './field_forms';

/** An alert's identity in its layer: layer name, full-resolution column and row, and its day (days since 2014-12-31). */
export const alertIdSchema = z
  .string()
  .max(120)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}:\d{1,7}:\d{1,7}:\d{1,5}$/, 'alert: an alert identity layer:col:row:day, as the area package lists it');

const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** A refined outline: one polygon ring (or a few) drawn on the map, at most 500 vertices in all. */
export const outlineSchema = z
  .object({ type: z.literal('Polygon'), coordinates: z.array(z.array(lonLat).min(4).max(500)).min(1).max(5) })
  .strict()
  .refine((g) => g.coordinates.reduce((n, r) => n + r.length, 0) <= 500, 'outline: at most 500 vertices')
  .refine((g) => g.coordinates.every((r) => r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1]), 'outline: each ring must end where it starts');

export type FieldOutline = z.infer<typeof outlineSchema>;

export const fieldPositionSchema = z
  .object({
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    /** Metres, from the device (Geolocation API's coords.accuracy). */
    accuracy_m: z.number().positive().max(100_000),
  })
  .strict();

const reportBase = {
  id: z.string().uuid('id: a UUID made on the device'),
  /** The agency the report is made for (reviewed by its editors): one of the user's; their first when left out. */
  agency: z.string().min(1).max(100).optional(),
  position: fieldPositionSchema,
  observed_at: z.string().datetime({ offset: true, message: 'observed_at: an ISO 8601 date and time' }),
  /** How many photos will follow (each sent to /api/reports/{id}/photos/{photo_id}). */
  photo_count: z.number().int().min(0).max(6).default(0),
};

export const alertReportInputSchema = z
  .object({
    ...reportBase,
    kind: z.literal('alert'),
    alert: alertIdSchema,
    result: z.enum(VERIFICATION_RESULTS),
    cause: alertCauseSchema.optional(),
    outline: outlineSchema.optional(),
    notes: text(4000).default(''),
  })
  .strict()
  .refine((r) => r.result === 'false_positive' || r.cause !== undefined, { message: 'cause: a confirmed alert needs its cause (mining, agriculture, logging, road, fire, natural, other)', path: ['cause'] });

export const visitReportInputSchema = z
  .object({
    ...reportBase,
    kind: z.literal('visit'),
    site_id: z.number().int().positive(),
    observations: text(4000).default(''),
    measurements: z
      .array(z.object({ indicator_id: z.number().int().positive(), value: z.number().finite() }).strict())
      .max(50)
      .default([]),
  })
  .strict();

export const fieldReportInputSchema = z.union([alertReportInputSchema, visitReportInputSchema]);
export type FieldReportInput = z.infer<typeof fieldReportInputSchema>;

export const REVIEW_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export const reviewStatusSchema = z.enum(REVIEW_STATUSES);

export const reportReviewSchema = z.object({ decision: z.enum(['accepted', 'rejected']), note: text(2000).default('') }).strict();
export type ReportReview = z.infer<typeof reportReviewSchema>;

export const fieldPhotoSchema = z.object({
  id: z.string(),
  url: z.string(),
  content_type: z.string(),
  bytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  taken_at: z.string().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
});

export const fieldReportSchema = z.object({
  id: z.string(),
  kind: z.enum(['alert', 'visit']),
  agency: z.string(),
  alert: z.object({ id: z.string(), layer: z.string(), date: z.string(), lon: z.number(), lat: z.number(), area_ha: z.number() }).nullable(),
  result: z.enum(VERIFICATION_RESULTS).nullable(),
  cause: alertCauseSchema.nullable(),
  outline: outlineSchema.nullable(),
  /** Hectares inside the refined outline (geodesic); null without one. */
  outline_ha: z.number().nullable(),
  notes: z.string(),
  site: z.object({ id: z.number().int(), name: z.string(), activity_id: z.number().int() }).nullable(),
  observations: z.string(),
  measurements: z.array(z.object({ indicator_id: z.number().int(), value: z.number() })),
  position: z.object({ lon: z.number(), lat: z.number(), accuracy_m: z.number() }),
  observed_at: z.string(),
  received_at: z.string(),
  photo_count: z.number().int(),
  /** Who made it: signed-in readers of the agency only (null for the public). */
  author: z.string().nullable(),
  review: z.object({ status: reviewStatusSchema, by: z.string().nullable(), at: z.string().nullable(), note: z.string().nullable() }),
  photos: z.array(fieldPhotoSchema),
});
export type FieldReport = z.infer<typeof fieldReportSchema>;

export const fieldReportListQuerySchema = z.object({
  status: reviewStatusSchema.optional(),
  kind: z.enum(['alert', 'visit']).optional(),
  alert: alertIdSchema.optional(),
  site_id: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const fieldReportListSchema = z.object({ total: z.number().int(), reports: z.array(fieldReportSchema) });

export const fieldReportExportQuerySchema = z.object({ format: z.enum(['geojson', 'csv', 'gpkg']).default('geojson'), status: reviewStatusSchema.optional() });

/** Query of a photo upload: when and where it was taken, from the device. */
export const photoUploadQuerySchema = z.object({
  taken_at: z.string().datetime({ offset: true, message: 'taken_at: an ISO 8601 date and time' }).optional(),
  lon: z.coerce.number().min(-180).max(180).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
});

export const ALERT_STATUSES = ['confirmed', 'false_positive', 'unverified'] as const;
/** GET /api/alerts/status?ids=a,b: each alert's status (its latest accepted report) and its reports. */
export const alertStatusSchema = z.record(z.string(), z.object({ status: z.enum(ALERT_STATUSES), reports: z.number().int(), pending: z.number().int(), report: z.string().nullable() }));
export type AlertStatuses = z.infer<typeof alertStatusSchema>;

/** What field checks say about the alerts of an answer: pixels covered by accepted reports. */
export const alertVerificationSchema = z.object({
  confirmed: z.object({ px: z.number().int(), ha: z.number() }),
  false_positive: z.object({ px: z.number().int(), ha: z.number() }),
  unverified: z.object({ px: z.number().int(), ha: z.number() }),
  reports: z.number().int(),
  rule: z.string(),
});
export type AlertVerification = z.infer<typeof alertVerificationSchema>;
