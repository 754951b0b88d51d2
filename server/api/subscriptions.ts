// Alert subscriptions and digests: what a signed-in user follows and how they hear about it.
import { z } from 'zod';
import { confidenceSchema } from './alerts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const layerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'layer: the name of an alert layer (GET /api/alerts/layers)');

/** A rule names a set of subjects that follows the data: concessions added later are followed too. */
export const subscriptionRuleSchema = z.discriminatedUnion('type', [
  /** Every area of a kind inside (intersecting) another area, e.g. every concession in Madre de Dios. */
  z.object({ type: z.literal('areas_within'), area_kind: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'area_kind: an area kind code (GET /api/area-kinds)'), within_area_id: z.number().int().positive() }).strict(),
  /** Every site of the activities an agency leads (an editor's own agencies; admins any). */
  z.object({ type: z.literal('agency_sites'), agency: z.string().min(1).max(40) }).strict(),
]);
export type SubscriptionRule = z.infer<typeof subscriptionRuleSchema>;

const common = {
  /** An alert layer; every alert layer when left out. */
  layer: layerName.optional(),
  confidence: z.array(confidenceSchema).min(1).max(3).optional(),
  /** Alerts dated before this day are never reported (default: seven days before the subscription). */
  since: isoDate.optional(),
  label: z.string().trim().min(1).max(120).optional(),
  /** The reader's language: of the label made for the subscription, and of the digests if none was chosen yet. */
  lang: z.enum(['en', 'es']).optional(),
};

export const subscriptionInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('area'), area_id: z.number().int().positive(), ...common }).strict(),
  z.object({ kind: z.literal('activity'), activity_id: z.number().int().positive(), ...common }).strict(),
  z.object({ kind: z.literal('polygon'), geometry: z.object({ type: z.string(), coordinates: z.unknown().optional() }).passthrough(), ...common }).strict(),
  z.object({ kind: z.literal('rule'), rule: subscriptionRuleSchema, ...common }).strict(),
]);
export type SubscriptionInput = z.infer<typeof subscriptionInputSchema>;

export const subscriptionSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['area', 'activity', 'polygon', 'rule']),
  label: z.string(),
  area_id: z.number().int().nullable(),
  activity_id: z.number().int().nullable(),
  rule: subscriptionRuleSchema.nullable(),
  layer: z.string().nullable(),
  confidence: z.array(confidenceSchema),
  since: z.string(),
  created_at: z.string(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const digestSettingsInputSchema = z
  .object({
    frequency: z.enum(['daily', 'weekly', 'off']).optional(),
    language: z.enum(['en', 'es']).optional(),
    email: z.boolean().optional(),
    /** Where digests are POSTed as signed JSON; null removes it. A new URL gets a new signing key, shown once. */
    webhook_url: z.string().url('webhook_url: an http:// or https:// URL').max(2000).regex(/^https?:\/\//, 'webhook_url: an http:// or https:// URL').nullable().optional(),
    /** true: make a new feed token (the old feed URL stops working); the URL is shown once. */
    new_feed_token: z.boolean().optional(),
  })
  .strict();
export type DigestSettingsInput = z.infer<typeof digestSettingsInputSchema>;

export const digestSettingsSchema = z.object({
  frequency: z.enum(['daily', 'weekly', 'off']),
  language: z.enum(['en', 'es']),
  email: z.boolean(),
  email_address: z.string(),
  /** Whether the server can send e-mail at all (ATALAYA_SMTP_URL). */
  smtp_configured: z.boolean(),
  has_feed: z.boolean(),
  webhook_url: z.string().nullable(),
  last_run_at: z.string().nullable(),
  /** Only in the answer that made them: the feed's URL and the webhook's signing key. */
  feed_url: z.string().optional(),
  webhook_signing_key: z.string().optional(),
});
export type DigestSettings = z.infer<typeof digestSettingsSchema>;

const pxHa = z.object({ px: z.number().int(), ha: z.number() });
export const digestByConfidenceSchema = z.object({ low: pxHa, high: pxHa, highest: pxHa });

/** One digest: what was new per subscription and layer (also the webhook's JSON body). */
export const digestSchema = z.object({
  id: z.number().int(),
  created_at: z.string(),
  language: z.enum(['en', 'es']),
  total_px: z.number().int(),
  total_ha: z.number(),
  subscriptions: z.array(
    z.object({
      id: z.number().int(),
      label: z.string(),
      kind: z.string(),
      layers: z.array(
        z.object({
          layer: z.string(),
          synthetic: z.boolean(),
          px: z.number().int(),
          ha: z.number(),
          by_confidence: digestByConfidenceSchema,
          first_date: z.string(),
          last_date: z.string(),
          /** Subjects with new alerts, most first (at most 50 listed; `more` says how many were left out). */
          subjects: z.array(z.object({ subject: z.enum(['area', 'site', 'activity', 'polygon']), id: z.number().int(), name: z.string(), px: z.number().int(), ha: z.number(), link: z.string() })),
          more: z.number().int(),
          /** Subjects too large to list alert by alert in one run (counted on the map instead). */
          skipped: z.array(z.object({ id: z.number().int(), name: z.string(), reason: z.string() })),
          map: z.string().nullable(),
        }),
      ),
    }),
  ),
  rule: z.string(),
});
export type Digest = z.infer<typeof digestSchema>;

/** GET /api/alerts/digests: a digest with how it was delivered. */
export const digestWithDeliveriesSchema = digestSchema.extend({
  deliveries: z.array(z.object({ channel: z.enum(['email', 'webhook']), target: z.string(), status: z.enum(['pending', 'sent', 'failed']), attempts: z.number().int(), last_error: z.string().nullable(), sent_at: z.string().nullable() })),
});
export type DigestWithDeliveries = z.infer<typeof digestWithDeliveriesSchema>;

/** /alerts/digest-preview: a subject and how many days back. */
export const digestPreviewQuerySchema = z.object({
  subject: z.enum(['area', 'activity', 'site']),
  id: z.coerce.number().int().positive(),
  days: z.coerce.number().int().min(1).max(90).default(7),
  lang: z.enum(['en', 'es']).default('en'),
});
