import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { snapshot } from '../helpers/db_snapshot';
import { seedGrid } from '../helpers/grid_fixture';
import { createTestUser } from '../helpers/accounts';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

let TOKEN = ''; // an admin's API token, made in beforeAll
let EDITOR = ''; // an editor's
const squares = JSON.stringify({
  type: 'FeatureCollection',
  features: [0, 1, 2].map((i) => ({ type: 'Feature', properties: { code: `U${i}`, nombre: `Upload ${i}` }, geometry: { type: 'Polygon', coordinates: [[[-70 + i, -12], [-69.5 + i, -12], [-69.5 + i, -11.5], [-70 + i, -11.5], [-70 + i, -12]]] } })),
});

function form(fields: Record<string, string>, file?: { name: string; content: string | Blob }): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (file) f.set('file', typeof file.content === 'string' ? new Blob([file.content]) : file.content, file.name);
  return f;
}

describe(`imports over HTTP on the ${testDatabaseKind()} database`, () => {
  let database: DatabaseHandle;
  let app: TestApp;
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    await seedGrid(database);
    TOKEN = (await createTestUser(database, 'admin')).token;
    EDITOR = (await createTestUser(database, 'editor', ['SERFOR'])).token;
    app = await startTestApp(database, { ATALAYA_MAX_UPLOAD_MB: '1' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (target: TestApp, body: FormData, token?: string) =>
    fetch(`${target.baseUrl}/api/imports`, { method: 'POST', body, headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it('refuses uploads without sign-in or with an unknown token, and area layers from an editor', async () => {
    const body = () => form({ target: 'areas', kind: 'protected_area' }, { name: 'a.geojson', content: squares });
    const none = await post(app, body());
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/Sign in/);
    expect((await post(app, body(), 'wrong-token-wrong-token')).status).toBe(401);
    expect((await post(app, body(), 'atk_wrongwrongwrongwrongwrongwrong')).status).toBe(401);
    const editor = await post(app, body(), EDITOR);
    expect(editor.status).toBe(403);
    expect(((await editor.json()) as { error: { message: string } }).error.message).toMatch(/imported by an admin/);
  });

  it('imports an uploaded file, answers with the same report as the CLI and lists its provenance', async () => {
    const res = await post(app, form({ target: 'areas', kind: 'protected_area', idField: 'code', licence: 'CC BY 4.0', source: 'test' }, { name: 'uploaded squares.geojson', content: squares }), TOKEN);
    expect(res.status).toBe(201);
    const report = (await res.json()) as Record<string, unknown>;
    expect(report).toMatchObject({ file: 'uploaded squares.geojson', format: 'geojson', features: 3, inserted: 3, updated: 0, srid: 4326 });
    const again = (await (await post(app, form({ target: 'areas', kind: 'protected_area', idField: 'code' }, { name: 'uploaded squares.geojson', content: squares }), TOKEN)).json()) as Record<string, unknown>;
    expect([again.inserted, again.updated]).toEqual([0, 3]);
    const list = (await app.get('/api/imports')).body as { fileName: string; licence: string | null; contentHash: string; report: { inserted: number } }[];
    const mine = list.filter((s) => s.fileName === 'uploaded squares.geojson');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const names = await database.db.selectFrom('area').select('name').where('source_id', 'in', ['U0', 'U1', 'U2']).orderBy('name').execute();
    expect(names.map((n) => n.name)).toEqual(['Upload 0', 'Upload 1', 'Upload 2']);
  });

  it('answers bad input with 400 and its message, changing nothing', async () => {
    const before = await snapshot(database);
    const res = await post(app, form({ target: 'areas', kind: 'protected_area' }, { name: 'broken.geojson', content: squares.slice(0, 200) }), TOKEN);
    expect(res.status).toBe(400);
    // The message names the user's file, not the temporary one it was stored in.
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^broken\.geojson is not valid JSON/);
    const fields = await post(app, form({ target: 'areas' }, { name: 'a.geojson', content: squares }), TOKEN);
    expect(fields.status).toBe(400);
    expect(((await fields.json()) as { error: { message: string } }).error.message).toMatch(/kind is required/);
    const noFile = await post(app, form({ target: 'areas', kind: 'protected_area' }), TOKEN);
    expect(noFile.status).toBe(400);
    const notMultipart = await fetch(`${app.baseUrl}/api/imports`, { method: 'POST', body: squares, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' } });
    expect(notMultipart.status).toBe(415);
    expect(await snapshot(database)).toEqual(before);
  });

  it('refuses a 2 GB upload from its declared length without reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${app.baseUrl}/api/imports`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(2 * 1024 ** 3) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024));
    });
    expect(status).toBe(413);
  });

  it('stops reading a streamed (chunked, no declared length) upload at the size limit and answers 413', async () => {
    const before = await snapshot(database);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${app.baseUrl}/api/imports`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'multipart/form-data; boundary=XyZ', 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write('--XyZ\r\nContent-Disposition: form-data; name="target"\r\n\r\nareas\r\n');
      req.write('--XyZ\r\nContent-Disposition: form-data; name="kind"\r\n\r\nprotected_area\r\n');
      req.write('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.geojson"\r\nContent-Type: application/geo+json\r\n\r\n');
      // 3 MB against a 1 MB limit, then the end of the form.
      for (let i = 0; i < 48; i++) req.write(Buffer.alloc(64 * 1024, 0x20));
      req.end('\r\n--XyZ--\r\n');
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe('payload_too_large');
    expect(await snapshot(database)).toEqual(before);
  });
});
