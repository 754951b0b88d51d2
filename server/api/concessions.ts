import { z } from 'zod';

export const supervisionStatuses = ['none', 'watch', 'field_visit', 'sanction_process', 'cleared'] as const;

export const concessionSortKeys = ['name', 'area_ha', 'forest2000_ha', 'total_loss_ha', 'loss_since_contract_ha', 'rate_before_pct', 'rate_during_pct', 'recent_trend', 'ring_rate_during_pct', 'percentile'] as const;

/** GET /api/concessions/review */
export const concessionReviewQuerySchema = z.object({
  type: z.string().trim().min(1).max(63).optional(),
  region: z.string().trim().min(1).max(100).optional(),
  status: z.string().trim().min(1).max(63).optional(),
  flagged: z.enum(['true', 'false']).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(concessionSortKeys).default('rate_during_pct'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  /** Outlier rule: median + k x MAD of the loss rate during the contract. */
  k: z.coerce.number().min(0.5).max(20).default(3),
  /** The loss layer (name or id) the figures come from; the default analysis layer when left out. */
  layer: z.string().trim().min(1).max(63).optional(),
  format: z.enum(['json', 'csv', 'geojson']).default('json'),
});
export type ConcessionReviewQuery = z.infer<typeof concessionReviewQuerySchema>;

/** POST /api/concessions/:id/review */
export const concessionReviewNoteSchema = z
  .object({
    reviewed: z.boolean().default(true),
    supervision_status: z.enum(supervisionStatuses),
    note: z.string().trim().max(5000).default(''),
    /** Set by the server to the signed-in user; a value sent is replaced. */
    author: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** ?lang= of the printable concession sheet. */
export const concessionSheetQuerySchema = z.object({ lang: z.enum(['en', 'es']).default('en'), layer: z.string().trim().min(1).max(63).optional() });

/** Which rasters a review's figures come from (its tree cover partner masks the forest). */
export const reviewLayerSchema = z.object({
  name: z.string(),
  version: z.string().nullable(),
  treecover: z.string().nullable(),
  threshold: z.number().int().nullable(),
});
export type ReviewLayer = z.infer<typeof reviewLayerSchema>;

/** A row of the review page as the client reads it (the server sends more columns; zod keeps these). */
export const concessionReviewItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  region: z.string(),
  status: z.string(),
  forest2000_ha: z.number().nullable(),
  rate_before_pct: z.number().nullable(),
  rate_during_pct: z.number().nullable(),
  recent_trend: z.number().nullable(),
  ring_rate_during_pct: z.number().nullable(),
  percentile: z.number().nullable(),
  /** Share of the concession the loss layer covers (0..1); null before its statistics exist. */
  covered_fraction: z.number().nullable(),
  /** Why its figures are empty (outside the layer, no forest in 2000), '' when it has figures. */
  no_data_en: z.string(),
  no_data_es: z.string(),
  flagged: z.boolean(),
  reason_en: z.string(),
  reason_es: z.string(),
  supervision_status: z.string(),
  reviewed: z.boolean(),
  /** Alert pixels in the last 90 days and since the contract began (newest alert layer); null where no alert layer reaches. */
  alerts_layer: z.string().nullable().optional(),
  alerts_90d_px: z.number().int().nullable().optional(),
  alerts_90d_ha: z.number().nullable().optional(),
  alerts_contract_px: z.number().int().nullable().optional(),
  alerts_contract_ha: z.number().nullable().optional(),
  /** The last 90 days' alert hectares confirmed, found false and not yet checked by accepted field reports. */
  alerts_90d_confirmed_ha: z.number().nullable().optional(),
  alerts_90d_false_ha: z.number().nullable().optional(),
  alerts_90d_unverified_ha: z.number().nullable().optional(),
  /** Field reports on alerts inside the concession: accepted, and waiting for a supervisor. */
  field_reports_accepted: z.number().int().nullable().optional(),
  field_reports_pending: z.number().int().nullable().optional(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type ConcessionReviewItem = z.infer<typeof concessionReviewItemSchema>;

/** GET /api/concessions/review (format=json): one page, the total and the filter choices. */
export const concessionReviewPageSchema = z.object({
  total: z.number().int(),
  items: z.array(concessionReviewItemSchema),
  layer: reviewLayerSchema,
  facets: z.object({ types: z.array(z.string()), regions: z.array(z.string()) }),
});
export type ConcessionReviewPage = z.infer<typeof concessionReviewPageSchema>;
