import { z } from 'zod';

const optionalText = z.string().trim().min(1).max(200).optional();

/** Form fields of POST /api/imports (multipart/form-data, the file in the field "file"). */
export const importFieldsSchema = z
  .object({
    target: z.enum(['areas', 'sites', 'activities']),
    kind: z.string().regex(/^[a-z][a-z0-9_]*$/, 'kind is a lower-case code such as protected_area').optional(),
    createKind: optionalText.describe('"English label|Spanish label" to register a new kind'),
    idField: optionalText,
    nameField: optionalText,
    attributes: optionalText.describe('comma-separated property names to keep'),
    srid: z.coerce.number().int().positive().optional(),
    encoding: optionalText,
    layer: optionalText,
    licence: z.string().trim().max(500).optional(),
    source: z.string().trim().max(500).optional(),
    activity: optionalText,
    activityField: optionalText,
    siteKind: optionalText,
  })
  .refine((f) => f.target !== 'areas' || f.kind, { message: 'kind is required when target is areas', path: ['kind'] })
  .refine((f) => f.target !== 'sites' || f.activity || f.activityField, { message: 'sites need activity or activityField', path: ['activity'] });
export type ImportFields = z.infer<typeof importFieldsSchema>;

export const importSourceSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  contentHash: z.string(),
  layer: z.string().nullable(),
  licence: z.string().nullable(),
  source: z.string().nullable(),
  target: z.string(),
  format: z.string().nullable(),
  srid: z.number().int().nullable(),
  importedAt: z.string(),
  report: z.record(z.string(), z.unknown()),
});
export type ImportSource = z.infer<typeof importSourceSchema>;
