import { z } from 'zod';

export const searchQuerySchema = z.object({
  q: z.string().trim().min(2, 'q needs at least 2 characters').max(100, 'q is at most 100 characters'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export const searchHitSchema = z.object({
  type: z.enum(['activity', 'site', 'area']),
  id: z.number().int(),
  label: z.string(),
  /** Area kind code, the activity code of a site, or the activity's priority area. */
  detail: z.string(),
  /** [west, south, east, north] in lon/lat, for the map to fly to. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type SearchHit = z.infer<typeof searchHitSchema>;
export const searchAnswerSchema = z.object({ hits: z.array(searchHitSchema) });
