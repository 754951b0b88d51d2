import { z } from 'zod';

/** Path of one OGC API Features item: /ogc/collections/{id}/items/{featureId}. */
export const ogcItemParamsSchema = z.object({
  id: z.string().min(1),
  featureId: z.coerce.number().int('featureId is a whole number'),
});
