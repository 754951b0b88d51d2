// Search across activities, sites and areas (drafts never show), the client's configuration, and the
// PMTiles basemap served with HTTP range requests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { seedGridWithDraftSite } from '../helpers/grid_fixture';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

describe(`search and basemap on the ${testDatabaseKind()} database`, () => {
  let database: DatabaseHandle;
  let app: TestApp;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-basemap-'));
  const pmtiles = path.join(dir, 'peru.pmtiles');

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    await seedGridWithDraftSite(database);
    fs.writeFileSync(pmtiles, Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251)));
    app = await startTestApp(database, { ATALAYA_BASEMAP_PMTILES: pmtiles });
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds areas by name, activities by code or title and sites by name, accents and case folded', async () => {
    const squares = (await app.get('/api/search?q=square')).body.hits;
    expect(squares.length).toBeGreaterThan(3);
    expect(squares[0]).toMatchObject({ type: 'area', detail: 'protected_area' });
    expect(squares[0].bbox).toHaveLength(4);
    const byCode = (await app.get('/api/search?q=a-01')).body.hits;
    expect(byCode[0]).toMatchObject({ type: 'activity', label: 'A-01 Enforcement in the north-west square' });
    const sites = (await app.get('/api/search?q=CENTRE')).body.hits;
    expect(sites.every((h: { type: string }) => h.type === 'site')).toBe(true);
    expect(sites[0].detail).toBe('B-01');
    // "Patrols" without its accent matches; a LIKE wildcard in the text is a plain character.
    expect((await app.get('/api/search?q=p%C3%A1trols')).body.hits[0]).toMatchObject({ type: 'activity' });
    expect((await app.get('/api/search?q=%25%25')).body.hits).toEqual([]);
  });

  it('never finds draft activities or their sites', async () => {
    expect((await app.get('/api/search?q=wildlife')).body.hits).toEqual([]);
    expect((await app.get('/api/search?q=draft%20site')).body.hits).toEqual([]);
  });

  it('refuses a text too short or too long with what to fix', async () => {
    const short = await app.get('/api/search?q=a');
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toContain('at least 2 characters');
    expect((await app.get(`/api/search?q=${'x'.repeat(101)}`)).status).toBe(400);
  });

  it('tells the client to use the PMTiles basemap, and serves byte ranges of it', async () => {
    const config = (await app.get('/api/client-config')).body;
    expect(config).toEqual({ basemap: { type: 'pmtiles', url: '/basemap/basemap.pmtiles', flavor: 'light' }, siteBufferM: 5000, fieldAccuracyLimitM: 50 });
    const res = await fetch(`${app.baseUrl}/basemap/basemap.pmtiles`, { headers: { Range: 'bytes=100-227' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 100-227/4096');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes).toHaveLength(128);
    expect(bytes[0]).toBe(100 % 251);
  });

  it('falls back to Natural Earth without a basemap setting, and 404s the file with what to set', async () => {
    const plain = await startTestApp(database);
    try {
      expect((await plain.get('/api/client-config')).body.basemap).toEqual({ type: 'natural-earth' });
      const missing = await plain.get('/basemap/basemap.pmtiles');
      expect(missing.status).toBe(404);
      expect(JSON.stringify(missing.body)).toContain('ATALAYA_BASEMAP_PMTILES');
    } finally {
      await plain.close();
    }
  });
});
