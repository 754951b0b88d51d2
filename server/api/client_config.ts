import { z } from 'zod';

/** What the client needs to know before it draws: the basemap and the default analysis buffer. */
export const clientConfigSchema = z.object({
  basemap: z.discriminatedUnion('type', [
    z.object({ type: z.literal('natural-earth') }),
    /** A Protomaps-schema PMTiles file served by Atalaya with HTTP range requests. */
    z.object({ type: z.literal('pmtiles'), url: z.string(), flavor: z.enum(['light', 'dark', 'white', 'grayscale', 'black']) }),
    z.object({ type: z.literal('style'), url: z.string() }),
  ]),
  siteBufferM: z.number(),
  /** Field reports refuse a device position less accurate than this (metres). */
  fieldAccuracyLimitM: z.number(),
});
export type ClientConfig = z.infer<typeof clientConfigSchema>;
