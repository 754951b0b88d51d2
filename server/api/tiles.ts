import { z } from 'zod';

/** Path of a vector tile: /tiles/{layer}/{z}/{x}/{y}.mvt. */
export const vectorTileParamsSchema = z.object({
  layer: z.string().regex(/^[a-z][a-z0-9_]*$/, 'layer is an area kind, sites or activities'),
  z: z.coerce.number().int('z is a whole number'),
  x: z.coerce.number().int('x is a whole number'),
  y: z.coerce.number().int('y is a whole number'),
});
