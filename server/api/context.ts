import { z } from 'zod';

/**
 * A context layer (GET /api/context-layers): points of what others do nearby, e.g. other
 * cooperation projects. Shown on the map with their source and licence; never linked to, counted
 * in or analysed as the programme's activities.
 */
export const contextLayerSchema = z.object({
  code: z.string(),
  label: z.object({ en: z.string(), es: z.string() }),
  source: z.string(),
  licence: z.string(),
  count: z.number().int(),
  /** The OGC API Features collection that serves its points. */
  collection: z.string(),
});
export type ContextLayer = z.infer<typeof contextLayerSchema>;

/** The collection id of a context layer (prefixed, so it never meets an area kind's code). */
export const contextCollectionId = (code: string) => `context_${code}`;
