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
export const concessionSheetQuerySchema = z.object({ lang: z.enum(['en', 'es']).default('en') });
