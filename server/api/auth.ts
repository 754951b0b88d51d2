import { z } from 'zod';

export const roles = ['editor', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * One spelling per address: compatibility forms folded (NFKC: full-width letters, ligatures),
 * surrounding white space (any Unicode space) dropped, lower case. The sign-in limiter keys this
 * same form, so padding or re-casing an address does not buy new guesses.
 */
export function normaliseEmail(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

const email = z.string().transform(normaliseEmail).pipe(z.string().max(254).regex(/^[^@\s]+@[^@\s]+$/, 'email looks like name@example.org'));
/** At least 12 characters: length beats composition rules (NIST SP 800-63B). */
export const passwordSchema = z.string().min(12, 'the password needs at least 12 characters').max(200, 'the password is at most 200 characters');
// eslint-disable-next-line no-control-regex
const agencyCode = z.string().trim().min(1, 'an agency code is required').max(100, 'an agency code is at most 100 characters').regex(/^[^\u0000-\u001f\u007f]+$/, 'an agency code has no control characters');

export const loginSchema = z.object({ email, password: z.string().min(1, 'password is required').max(200) }).strict();
export type LoginInput = z.infer<typeof loginSchema>;

export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  agencies: z.array(z.string()),
  disabled: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

/** Who the caller is; csrfToken goes in X-CSRF-Token on every write made with the session cookie. */
export const meSchema = z.object({ user: userSchema.nullable(), csrfToken: z.string().nullable() });
export type Me = z.infer<typeof meSchema>;

export const userCreateSchema = z.object({
  email,
  name: z.string().trim().min(1, 'name is required').max(200),
  role: z.enum(roles),
  agencies: z.array(agencyCode).max(50).default([]),
  password: passwordSchema,
}).strict();
export type UserCreateInput = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(roles).optional(),
  agencies: z.array(agencyCode).max(50).optional(),
  disabled: z.boolean().optional(),
  password: passwordSchema.optional(),
}).strict();
export type UserUpdateInput = z.infer<typeof userUpdateSchema>;

export const agencySchema = z.object({ code: agencyCode, name: z.string().trim().min(1).max(200) }).strict();
export type Agency = z.infer<typeof agencySchema>;

export const tokenCreateSchema = z.object({ name: z.string().trim().min(1, 'name the token (what script uses it)').max(100) }).strict();
export const apiTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
/** Only the answer to its creation carries the token itself. */
export const createdTokenSchema = apiTokenSchema.extend({ token: z.string() });

export const auditQuerySchema = z.object({
  table: z.enum(['activity', 'site', 'indicator', 'measurement', 'concession_review', 'import_source', 'raster_layer', 'app_user', 'agency', 'user_agency', 'api_token', 'loss_statistic', 'field_report', 'field_photo']),
  id: z.string().regex(/^[A-Za-z0-9 ._-]{1,64}$/, 'id is the object id'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  requestId: z.string().nullable(),
  action: z.enum(['insert', 'update', 'delete', 'recompute']),
  table: z.string(),
  objectId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
