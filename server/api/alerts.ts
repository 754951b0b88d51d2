import { z } from 'zod';
import { alertVerificationSchema } from './field_reports';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'a real calendar date');
const layerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'layer: the name of an alert layer (GET /api/alerts/layers)');
/**
 * Alert colours by confidence (low, high, highest): lavender, plum and indigo, light to dark, apart
 * from annual loss's yellow to red for every reader. Pinks were tried first: a tritan reader saw the
 * high pink as the loss ramp's red (CIELAB distance 2.6), and a protan one two purples as one. These
 * were searched for the largest smallest distance (44) to every loss colour and to each other under
 * normal, protan, deutan and tritan vision (Machado et al. 2009); tests/unit/server/alerts/
 * alert_colours.test.ts keeps it at least 20.
 */
export const ALERT_COLORS = ['#a090f0', '#703060', '#200090'] as const;

export const confidenceSchema = z.enum(['low', 'high', 'highest']);
export const alertSourceSchema = z.enum(['gfw-integrated', 'glad-l', 'radd']);
/** Every source alerts:add and POST /api/alerts take: the raster ones and GeoBosques' points or polygons. */
export const alertFileSourceSchema = z.enum(['gfw-integrated', 'glad-l', 'radd', 'geobosques']);
export const alertPeriodSchema = z.enum(['day', 'week', 'month']);

/** POST /api/analysis/alerts: a stable contract for outside tools. */
export const alertRequestSchema = z
  .object({
    /** A GeoJSON geometry in EPSG:4326 (Polygon, MultiPolygon, or any geometry with buffer_m). */
    geometry: z.object({ type: z.string(), coordinates: z.unknown().optional(), geometries: z.unknown().optional() }).passthrough(),
    /** Alert layer name; the newest alert layer when left out. */
    layer: layerName.optional(),
    from: isoDate,
    to: isoDate,
    /** Confidences counted; all when left out. */
    confidence: z.array(confidenceSchema).min(1).max(3).optional(),
    buffer_m: z.number().min(0).max(100_000).optional(),
  })
  .strict();
export type AlertRequest = z.infer<typeof alertRequestSchema>;

/** ?period= (day by default) and, for areas, sites and activities, the same filters as the body. */
export const alertPeriodQuerySchema = z.object({ period: alertPeriodSchema.default('day') });
export const alertSubjectQuerySchema = z.object({
  period: alertPeriodSchema.default('day'),
  layer: layerName.optional(),
  from: isoDate,
  to: isoDate,
  confidence: z.string().optional().transform((s, ctx) => {
    if (s === undefined || s === '') return undefined;
    const list = s.split(',');
    for (const c of list) if (!confidenceSchema.safeParse(c).success) ctx.addIssue({ code: 'custom', message: `confidence: "${c}" is not low, high or highest` });
    return list as z.infer<typeof confidenceSchema>[];
  }),
  buffer_m: z.coerce.number().min(0).max(100_000).optional(),
});

const pxHa = z.object({ px: z.number().int(), ha: z.number() });
const byConfidence = z.object({ low: pxHa, high: pxHa, highest: pxHa });

export const alertAnswerSchema = z.object({
  total_px: z.number().int(),
  total_ha: z.number(),
  by_confidence: byConfidence,
  /** One entry per day (or ISO week, starting Monday, or month) with alerts; periods without are left out. */
  days: z.array(z.object({ date: z.string(), period: z.string(), alert_px: z.number().int(), alert_ha: z.number(), by_confidence: byConfidence })),
  /** Share of the polygon's area inside the alert layer's extent (0 where the layer does not reach). */
  covered_fraction: z.number(),
  area_ha: z.number(),
  /** Alert pixels checked in the field (accepted reports) and those not; null where no report is accepted on this layer. */
  verification: alertVerificationSchema.nullable().optional(),
  provenance: z.object({
    layer: z.object({ name: z.string(), source: z.string(), version: z.string().nullable(), licence: z.string().nullable(), synthetic: z.boolean(), last_date: z.string().nullable() }),
    from: z.string(),
    to: z.string(),
    confidence: z.array(confidenceSchema),
    period: alertPeriodSchema,
    buffer_m: z.number().nullable(),
    rule: z.string(),
    computed_at: z.string(),
  }),
});
export type AlertAnswer = z.infer<typeof alertAnswerSchema>;

/** One alert layer (GET /api/alerts/layers). */
export const alertLayerSchema = z.object({
  name: z.string(),
  source: alertSourceSchema,
  version: z.string().nullable(),
  licence: z.string().nullable(),
  attribution: z.string().nullable(),
  synthetic: z.boolean(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  first_date: z.string().nullable(),
  last_date: z.string().nullable(),
  alert_px: z.number().int(),
});
export type AlertLayer = z.infer<typeof alertLayerSchema>;

/** One layer of alerts published as points or polygons (GET /api/alerts/vector-layers). */
export const vectorAlertLayerSchema = z.object({
  name: z.string(),
  attribution: z.string(),
  licence: z.string(),
  alerts: z.number().int(),
  first_date: z.string().nullable(),
  last_date: z.string().nullable(),
  /** Its OGC API Features collection (items filter by `datetime`). */
  collection: z.string(),
});
export type VectorAlertLayer = z.infer<typeof vectorAlertLayerSchema>;

/** Form fields of POST /api/alerts (multipart, beside the files). */
export const alertRegisterFieldsSchema = z.object({
  source: alertFileSourceSchema,
  name: layerName,
  version: z.string().trim().max(100).optional(),
  year: z.coerce.number().int().min(2015).max(2059).optional(),
});

/** GET /api/alerts/export: the alert pixels of a subject as points. */
export const alertExportQuerySchema = alertSubjectQuerySchema.omit({ period: true }).extend({
  subject: z.enum(['area', 'site', 'activity']),
  id: z.coerce.number().int().positive().max(2_147_483_647),
  format: z.enum(['geojson', 'csv', 'gpkg']).default('geojson'),
});

export const alertTileQuerySchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  confidence: alertSubjectQuerySchema.shape.confidence,
});

/** GET /api/{areas,sites,activities}/:id/vector-alerts: alerts published as points or polygons (GeoBosques) in a subject. */
export const vectorAlertQuerySchema = z.object({
  layer: z.string().regex(/^[a-z0-9][a-z0-9_]{0,62}$/, 'layer: the name of a point or polygon alert layer (GET /api/alerts/vector-layers)'),
  from: isoDate,
  to: isoDate,
  buffer_m: z.coerce.number().min(0).max(100_000).optional(),
});

export const vectorAlertAnswerSchema = z.object({
  total_alerts: z.number().int(),
  polygons: z.number().int(),
  /** Hectares of the polygon alerts' parts inside; null when every alert is a point (points have no area). */
  total_ha: z.number().nullable(),
  days: z.array(z.object({ date: z.string(), alerts: z.number().int(), polygons: z.number().int(), ha: z.number().nullable() })),
  provenance: z.object({ layer: z.string(), source: z.string(), attribution: z.string(), licence: z.string(), loaded_at: z.string(), from: z.string(), to: z.string(), buffer_m: z.number().nullable(), rule: z.string(), computed_at: z.string() }),
});
export type VectorAlertAnswer = z.infer<typeof vectorAlertAnswerSchema>;
