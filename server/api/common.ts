import { z } from 'zod';

/** The one error body every endpoint answers with. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const errorCodes = [
  'bad_request',
  'not_found',
  'conflict',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'too_many_requests',
  'unsupported_media_type',
  'database_busy',
  'database_unavailable',
  'storage_unavailable',
  'unprocessable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const localizedTextSchema = z.object({ en: z.string(), es: z.string() });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** `minLon,minLat,maxLon,maxLat` in EPSG:4326, as in OGC API Features. */
export const bboxSchema = z
  .string()
  .transform((value, ctx) => {
    const parts = value.split(',').map((p) => Number(p.trim()));
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers: minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
    if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 || minLon > maxLon || minLat > maxLat) {
      ctx.addIssue({
        code: 'custom',
        message: 'bbox must lie within -180..180, -90..90 with min <= max (EPSG:4326 longitude/latitude order)',
      });
      return z.NEVER;
    }
    return [minLon, minLat, maxLon, maxLat] as const;
  });
export type Bbox = readonly [number, number, number, number];

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(10000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});

export const geometrySchema = z.object({ type: z.string(), coordinates: z.unknown() }).passthrough();

export function featureCollectionSchema<P extends z.ZodTypeAny>(properties: P) {
  return z.object({
    type: z.literal('FeatureCollection'),
    numberMatched: z.number().int(),
    numberReturned: z.number().int(),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.number().int(),
        geometry: geometrySchema,
        properties,
      }),
    ),
  });
}
