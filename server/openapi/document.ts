// The OpenAPI 3.1 document, generated from the operation table and its zod schemas (zod 4 writes
// JSON Schema 2020-12, the dialect of OpenAPI 3.1), so the document cannot drift from validation.
import { z } from 'zod';
import { errorBodySchema } from '../api';
import { operations, type Operation } from './operations';

type JsonSchema = Record<string, unknown>;

const toSchema = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
};

/** Express ":id" and ":y.mvt" to OpenAPI "{id}" and "{y}.mvt". */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function shapeOf(s: z.ZodType | undefined): Record<string, z.ZodType> {
  const def = (s as unknown as { def?: { type?: string; in?: z.ZodType; schema?: z.ZodType } } | undefined)?.def;
  if (!s || !def) return {};
  if (def.type === 'object') return (s as z.ZodObject).shape as Record<string, z.ZodType>;
  if (def.type === 'pipe' && def.in) return shapeOf(def.in);
  return {};
}

function parameters(op: Operation) {
  const out: JsonSchema[] = [];
  const pathNames = [...op.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
  const params = shapeOf(op.params);
  for (const name of pathNames) {
    const schema = params[name] ? toSchema(params[name]!, 'input') : { type: name === 'layer' ? 'string' : 'integer' };
    out.push({ name, in: 'path', required: true, schema });
  }
  for (const [name, s] of Object.entries(shapeOf(op.query))) {
    const schema = toSchema(s, 'input');
    out.push({ name, in: 'query', required: !s.safeParse(undefined).success, schema, ...(schema.description ? { description: schema.description } : {}) });
  }
  return out;
}

function operationObject(op: Operation) {
  const ok = String(op.status ?? 200);
  const content = op.responseType
    ? { [op.responseType]: { schema: op.responseType.startsWith('text/') || op.responseType.includes('json') ? { type: 'string' } : { type: 'string', contentMediaType: op.responseType } } }
    : { 'application/json': { schema: op.response ? toSchema(op.response, 'output') : {} } };
  const withCsv = shapeOf(op.query).format ? { ...content, 'text/csv': { schema: { type: 'string' } } } : content;
  const bodySchema = op.body && toSchema(op.body, 'input');
  const body =
    bodySchema &&
    (op.bodyType === 'multipart'
      ? { required: true, content: { 'multipart/form-data': { schema: { ...bodySchema, properties: { ...((bodySchema.properties as object) ?? {}), file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The uploaded file(s)' } } } } } }
      : { required: true, content: { 'application/json': { schema: bodySchema } } });
  const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    operationId: `${op.method}${openApiPath(op.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    parameters: parameters(op),
    ...(body ? { requestBody: body } : {}),
    ...(op.auth ? { security: [{ apiToken: [] }, { session: [] }] } : {}),
    responses: {
      [ok]: { description: 'Success', content: withCsv },
      '400': { ...error, description: 'Invalid input: the message names each bad field' },
      ...(op.auth ? { '401': { ...error, description: 'Not signed in, or an unknown token' }, '403': { ...error, description: op.auth === 'admin' ? 'Not an admin' : "Not an editor of the object's agency, or no CSRF token" } } : {}),
      '404': { ...error, description: 'Not found' },
    },
  };
}

export function openApiDocument(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) (paths[openApiPath(op.path)] ??= {})[op.method] = operationObject(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Atalaya API',
      version: '0.1.0',
      description: 'Spatial progress tracking for the U.S.-Peru Environmental Cooperation Work Program: areas, sites, activities, links, forest loss statistics, concession review, indicators and trends, tiles, OGC API - Features and exports. Every error is `{ "error": { "code", "message" } }`.',
      license: { name: 'Open source' },
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: toSchema(errorBodySchema, 'output') },
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', description: 'A personal API token (atk_...) from POST /api/auth/tokens' },
        session: { type: 'apiKey', in: 'cookie', name: 'atalaya_session', description: 'The session cookie of POST /api/auth/login; writes also need the X-CSRF-Token header from GET /api/auth/me' },
      },
    },
  };
}
