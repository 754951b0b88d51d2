// Indicators, measurements, progress status, trends near interventions and the programme report.
import { z } from 'zod';
import { localizedTextSchema } from './common';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD');
const year = z.number().int().min(1990, 'years are 1990-2100').max(2100, 'years are 1990-2100');
const areaKindCode = z.string().regex(/^[a-z][a-z0-9_]*$/, 'area_kind is an area kind code such as protected_area');

export const progressStatuses = ['on_track', 'at_risk', 'off_track', 'no_data'] as const;
export const indicatorDirections = ['lower_is_better', 'higher_is_better'] as const;

/** What a spatial indicator measures; recomputed when sites, areas or rasters change. */
export const spatialDefinitionSchema = z.discriminatedUnion('metric', [
  z.object({
    metric: z.literal('loss_near_sites'),
    distance_m: z.number().int().min(100, 'distance_m is 100-100000 metres').max(100_000, 'distance_m is 100-100000 metres').default(5000),
    measure: z.enum(['ha', 'pct_forest2000']).default('ha'),
    target_change_pct: z.number().min(-100).max(1000).optional(),
  }),
  z.object({
    metric: z.literal('loss_in_linked_areas'),
    area_kind: areaKindCode,
    measure: z.enum(['ha', 'pct_forest2000']).default('ha'),
    target_change_pct: z.number().min(-100).max(1000).optional(),
  }),
  z.object({
    metric: z.literal('linked_area'),
    area_kind: areaKindCode,
    /** Only areas whose attribute `property` equals `equals` (e.g. ecosystem = puna). */
    property: z.string().max(100).optional(),
    equals: z.string().max(200).optional(),
    target_change_pct: z.number().min(-100).max(1000).optional(),
  }),
]);
export type SpatialDefinition = z.infer<typeof spatialDefinitionSchema>;

export const indicatorInputSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(200),
    unit: z.string().trim().min(1, 'unit is required').max(50),
    /** Name and unit in Spanish; absent or empty = not translated. */
    name_es: z.string().trim().max(200).nullable().optional().transform((v) => v || null),
    unit_es: z.string().trim().max(50).nullable().optional().transform((v) => v || null),
    direction: z.enum(indicatorDirections),
    kind: z.enum(['manual', 'spatial']),
    definition: spatialDefinitionSchema.optional(),
    baseline_value: z.number().finite().nullable().optional(),
    baseline_year: year.nullable().optional(),
    target_value: z.number().finite().nullable().optional(),
    target_year: year.nullable().optional(),
    published: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'spatial' && !v.definition) ctx.addIssue({ code: 'custom', path: ['definition'], message: 'a spatial indicator needs a definition (metric loss_near_sites, loss_in_linked_areas or linked_area)' });
    if (v.kind === 'manual' && v.definition) ctx.addIssue({ code: 'custom', path: ['definition'], message: 'a manual indicator has no definition; its values are measurements' });
    if (v.baseline_value != null && v.baseline_year == null) ctx.addIssue({ code: 'custom', path: ['baseline_year'], message: 'a baseline value needs its year' });
    if ((v.target_value != null || v.definition?.target_change_pct !== undefined) && v.target_year == null) ctx.addIssue({ code: 'custom', path: ['target_year'], message: 'a target needs its year' });
    if (v.baseline_year != null && v.target_year != null && v.target_year <= v.baseline_year) ctx.addIssue({ code: 'custom', path: ['target_year'], message: 'target_year must come after baseline_year' });
  });
export type IndicatorInput = z.infer<typeof indicatorInputSchema>;

export const measurementInputSchema = z.object({
  measured_at: isoDate,
  value: z.number().finite('value is a number'),
  source: z.string().trim().max(500).optional(),
  note: z.string().trim().max(2000).optional(),
  /** A draft measurement is not shown to the public until published. */
  published: z.boolean().default(true),
}).strict();
/** POST /api/indicators/recompute: force recomputes even indicators whose inputs did not change. */
export const recomputeBodySchema = z.object({ force: z.boolean().optional() }).strict();
export type MeasurementInput = z.infer<typeof measurementInputSchema>;

export const measurementSchema = z.object({
  id: z.number().int(),
  measured_at: isoDate,
  value: z.number(),
  source: z.string().nullable(),
  note: z.string().nullable(),
  origin: z.enum(['manual', 'computed']),
  inputs: z.unknown().nullable(),
  created_at: z.string(),
  superseded_at: z.string().nullable(),
});
export type Measurement = z.infer<typeof measurementSchema>;

export const indicatorSchema = z.object({
  id: z.number().int(),
  activity_id: z.number().int(),
  name: z.string(),
  unit: z.string(),
  /** Spanish name and unit; null where not translated. */
  name_es: z.string().nullable(),
  unit_es: z.string().nullable(),
  direction: z.enum(indicatorDirections),
  kind: z.enum(['manual', 'spatial']),
  definition: z.record(z.string(), z.unknown()),
  published: z.boolean(),
  baseline: z.object({ value: z.number(), year: z.number().int(), computed: z.boolean() }).nullable(),
  target: z.object({ value: z.number(), year: z.number().int(), computed: z.boolean() }).nullable(),
  latest: z.object({ value: z.number(), at: isoDate, smoothed_years: z.number().int() }).nullable(),
  status: z.enum(progressStatuses),
  expected: z.number().nullable(),
  achieved_share: z.number().nullable(),
  expected_share: z.number().nullable(),
  computed_at: z.string().nullable(),
  error: z.string().nullable(),
  measurements: z.array(measurementSchema),
});
export type Indicator = z.infer<typeof indicatorSchema>;

export const indicatorListSchema = z.object({ activity_id: z.number().int(), status_rule: z.string(), indicators: z.array(indicatorSchema) });

export const trendQuerySchema = z
  .object({
    distance_m: z.coerce.number().int().min(100, 'distance_m is 100-50000 metres').max(50_000, 'distance_m is 100-50000 metres').optional(),
    from: z.coerce.number().int().min(2001, 'from is a year 2001 or later').max(2100).optional(),
    to: z.coerce.number().int().min(2001).max(2100, 'to is a year').optional(),
    layer: z.string().max(200).optional(),
    treecover: z.string().max(200).optional(),
    threshold: z.coerce.number().int().min(0).max(100).optional(),
    format: z.enum(['json', 'csv']).default('json'),
    /** zones=true adds the buffer and the comparison ring as GeoJSON (to draw them on a map). */
    zones: z.enum(['true', 'false']).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });
export type TrendQuery = z.infer<typeof trendQuerySchema>;

export const trendWarnings = ['few_years', 'method_change', 'no_forest', 'no_start', 'not_covered'] as const;

export const trendSchema = z.object({
  subject: z.enum(['site', 'activity']),
  id: z.number().int(),
  distance_m: z.number(),
  start_date: isoDate.nullable(),
  start_year: z.number().int().nullable(),
  window: z.object({ from: z.number().int(), to: z.number().int() }),
  buffer: z.object({ area_ha: z.number(), forest2000_ha: z.number(), covered_fraction: z.number() }),
  ring: z.object({ area_ha: z.number(), forest2000_ha: z.number(), covered_fraction: z.number() }),
  years: z.array(z.object({ year: z.number().int(), side: z.enum(['before', 'start', 'after']), buffer_loss_ha: z.number(), buffer_rate_pct: z.number().nullable(), ring_loss_ha: z.number(), ring_rate_pct: z.number().nullable() })),
  result: z.object({
    years_before: z.number().int(),
    years_after: z.number().int(),
    buffer_before: z.number().nullable(),
    buffer_after: z.number().nullable(),
    ring_before: z.number().nullable(),
    ring_after: z.number().nullable(),
    did: z.number().nullable(),
    ci_low: z.number().nullable(),
    ci_high: z.number().nullable(),
  }),
  unit: z.literal('% of 2000 forest per year'),
  warnings: z.array(z.enum(trendWarnings)),
  summary: localizedTextSchema,
  method: z.string(),
  provenance: z.record(z.string(), z.unknown()),
  /** With ?zones=true: the buffer (0-D) and the ring (D-2D, every site's buffer cut out), GeoJSON in EPSG:4326. */
  zones: z.object({ buffer: z.unknown(), ring: z.unknown() }).optional(),
});
export type Trend = z.infer<typeof trendSchema>;

export const reportQuerySchema = z.object({
  goal: z.string().regex(/^[A-Z]$/, 'goal is a letter such as B').optional(),
  priority_area: z.string().regex(/^[A-Z]$/, 'priority_area is a letter such as B').optional(),
  status: z.enum(['planned', 'ongoing', 'completed', 'suspended']).optional(),
  progress: z.enum(progressStatuses).optional(),
  agency: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  /** The loss layer (name or id) of the trends; the default analysis layer when left out. */
  layer: z.string().trim().min(1).max(63).optional(),
  lang: z.enum(['en', 'es']).default('en'),
  format: z.enum(['json', 'csv']).default('json'),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;
