// Hostile and malformed input to every write endpoint, as an admin (the most code reached):
// only 4xx answers, never a 5xx, and the database exactly as it was. fast-check generates the bodies
// (any JSON value; objects always with a stray key the strict contract refuses; hostile strings) and
// the path ids; the list of endpoints is the operations table behind the OpenAPI document.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operations } from '../../server/openapi/operations';
import { IMPORT_TABLES, snapshot } from '../helpers/db_snapshot';
import { seedGridWithDraftSite } from '../helpers/grid_fixture';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

const TABLES = [...IMPORT_TABLES, 'indicator', 'measurement',
  'concession_review', 'raster_layer', 'job', 'loss_statistic', 'app_user', 'user_agency', 'agency', 'api_token', 'user_session', 'audit_log'];

const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom("'; DROP TABLE activity; --", '../../etc/passwd', '\u0000', '<script>alert(1)</script>', '%00', '${jndi:ldap://x}', 'NaN', '-1', '1e309', ' ', '\u202e', '🌳'.repeat(50)),
  fc.string({ minLength: 5000, maxLength: 20000 }),
);
const junkKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', '\u0000', 'zz_unknown', '$where', 'toString');
/** Any JSON value; objects always carry a key no contract knows, so none is valid. */
const hostileBody = fc.oneof(
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  // Built with defineProperty so a "__proto__" key is an own key that JSON.stringify sends.
  fc.tuple(fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), junkKeys, fc.jsonValue({ maxDepth: 2 })).map(([o, k, v]) => Object.defineProperty({ ...o }, k, { value: v, enumerable: true })),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
);
const hostileId = fc.oneof(fc.constantFrom('0', '-1', '99999999', '1.5', '1e3', 'abc', '%2e%2e', 'NaN', '2147483648', '9'.repeat(40)), fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent));

describe(`hostile input to every write endpoint on the ${testDatabaseKind()} database`, () => {
  const t = useTestApp({ seed: seedGridWithDraftSite, user: 'admin', env: { ATALAYA_MAX_UPLOAD_MB: '1' } });

  const writes = operations.filter((op) => op.method === 'post' && op.path !== '/api/auth/logout');

  it('answers 4xx to everything, and changes nothing', async () => {
    const before = await snapshot(t.database, TABLES);
    const bad: string[] = [];
    for (const op of writes) {
      await fc.assert(
        fc.asyncProperty(hostileBody, hostileId, hostileString, async (body, id, field) => {
          const path = op.path.replace(':id', id);
          let init: RequestInit;
          if (op.bodyType === 'multipart') {
            const form = new FormData();
            form.set(typeof body === 'object' && body && !Array.isArray(body) ? Object.keys(body)[0] ?? 'target' : 'target', field);
            form.set('file', new Blob([JSON.stringify(body)]), field.slice(0, 50) || 'x');
            init = { method: 'POST', body: form };
          } else {
            init = { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
          }
          init.headers = { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${t.token}` };
          const res = await fetch(`${t.app.baseUrl}${path}`, init);
          const text = await res.text();
          if (res.status < 400 || res.status >= 500) {
            bad.push(`${op.path} -> ${path}: ${res.status} ${text.slice(0, 160)} for ${JSON.stringify(body).slice(0, 160)}`);
            return false;
          }
          // Errors keep their shape and never carry a stack trace.
          if (!/"error":\{"code":"[a-z_]+","message"/.test(text) || /\bat .+\.(ts|js):\d+/.test(text)) {
            bad.push(`${op.path} -> ${path}: ${res.status} answered ${text.slice(0, 160)}`);
            return false;
          }
          return true;
        }),
        { numRuns: 25, seed: 20261126, endOnFailure: true },
      ).catch(() => undefined);
    }
    expect(bad).toEqual([]);
    expect(await snapshot(t.database, TABLES)).toEqual(before);
  }, 300_000);
});
