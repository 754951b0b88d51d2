// Every endpoint x every role x draft/published. Public reads never show a draft to anyone (drafts
// are edited through /api/manage); writes are allowed to the right role and agency only. The
// operations table behind the OpenAPI document is the list of endpoints, so a new endpoint without
// a case here fails this test.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { operations, type Operation } from '../../server/openapi/operations';
import { createTestUser, signIn, type TestUser } from '../helpers/accounts';
import { seedGridWithDraftSite } from '../helpers/grid_fixture';
import { decodeMvt } from '../helpers/mvt_decode';
import { startTestApp, type TestApp } from '../helpers/test_app';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

type Role = 'public' | 'otherEditor' | 'ownEditor' | 'admin';
const ROLES: Role[] = ['public', 'otherEditor', 'ownEditor', 'admin'];
/** Words only drafts carry: the draft activity, its site, a draft indicator and a draft measurement. */
const SECRETS = ['Wildlife trafficking', 'B-02', 'Draft site', 'secret', 'Hidden indicator', '987654'];

describe(`authorisation and drafts on the ${testDatabaseKind()} database`, () => {
  let database: DatabaseHandle;
  let app: TestApp;
  const users = {} as Record<Exclude<Role, 'public'>, TestUser>;
  const ids = { published: 0, draft: 0, publishedSite: 0, draftSite: 0, concession: 0, publishedIndicator: 0, draftIndicator: 0, draftActivityIndicator: 0, publishedMeasurement: 0, draftMeasurement: 0, extraPublishedSite: 0, extraDraftSite: 0 };

  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    const { activityIds } = await seedGridWithDraftSite(database);
    ids.published = activityIds['B-01']!; // SERFOR, published
    ids.draft = activityIds['B-02']!; // SERFOR, draft
    const site = (activityId: number) => database.db.selectFrom('site').select('id').where('activity_id', '=', activityId).orderBy('id').executeTakeFirstOrThrow();
    ids.publishedSite = (await site(ids.published)).id;
    ids.draftSite = (await site(ids.draft)).id;
    ids.concession = (await database.db.selectFrom('area').select('id').where('kind', '=', 'forest_concession').orderBy('id').executeTakeFirstOrThrow()).id;
    const indicator = async (activityId: number, name: string, published: boolean) =>
      (await database.db.insertInto('indicator').values({ activity_id: activityId, name, unit: 'patrols', direction: 'higher_is_better', kind: 'manual', definition: '{}', target_value: 10, target_year: 2020, published }).returning('id').executeTakeFirstOrThrow()).id;
    ids.publishedIndicator = await indicator(ids.published, 'Patrols', true);
    ids.draftIndicator = await indicator(ids.published, 'Hidden indicator', false);
    ids.draftActivityIndicator = await indicator(ids.draft, 'Seizures', true);
    const measurement = async (indicatorId: number, value: number, published: boolean) =>
      (await database.db.insertInto('measurement').values({ indicator_id: indicatorId, measured_at: '2018-12-31', value, origin: 'manual', published }).returning('id').executeTakeFirstOrThrow()).id;
    ids.publishedMeasurement = await measurement(ids.publishedIndicator, 5, true);
    ids.draftMeasurement = await measurement(ids.publishedIndicator, 987654, false);
    users.admin = await createTestUser(database, 'admin');
    users.ownEditor = await createTestUser(database, 'editor', ['SERFOR']);
    users.otherEditor = await createTestUser(database, 'editor', ['OEFA']);
    app = await startTestApp(database);
  });
  afterAll(async () => app?.close());

  const call = async (role: Role, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = role === 'public' ? {} : { authorization: `Bearer ${users[role].token}` };
    let payload: BodyInit | undefined;
    if (body instanceof FormData || body instanceof Blob) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${app.baseUrl}${path}`, { method: method.toUpperCase(), headers, ...(payload ? { body: payload } : {}) });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, bytes, text: new TextDecoder().decode(bytes) };
  };

  // ---------------------------------------------------------------- public reads
  /** URLs of each public read: `hidden` ones are a draft's own URL (404 for everyone), `clean` ones must not mention a draft. */
  function reads(op: Operation): { hidden?: string[]; clean?: string[] } {
    const p = op.path;
    const byId = (draftId: number, publishedId: number) => ({ hidden: [p.replace(':id', String(draftId))], clean: [p.replace(':id', String(publishedId))] });
    switch (p) {
      case '/api/activities/:id': case '/api/activities/:id/links': case '/api/activities/:id/loss': case '/api/activities/:id/trend': case '/api/activities/:id/indicators':
        return byId(ids.draft, ids.published);
      case '/api/sites/:id/loss': case '/api/sites/:id/trend':
        return byId(ids.draftSite, ids.publishedSite);
      case '/api/activities/:id/alerts': case '/api/sites/:id/alerts': {
        const [draft, published] = p.startsWith('/api/sites') ? [ids.draftSite, ids.publishedSite] : [ids.draft, ids.published];
        return { hidden: [`${p.replace(':id', String(draft))}?from=2024-01-01&to=2024-12-31`], clean: [`${p.replace(':id', String(published))}?from=2024-01-01&to=2024-12-31`] };
      }
      case '/api/activities/:id/vector-alerts': case '/api/sites/:id/vector-alerts': {
        const [draft, published] = p.startsWith('/api/sites') ? [ids.draftSite, ids.publishedSite] : [ids.draft, ids.published];
        return { hidden: [`${p.replace(':id', String(draft))}?layer=geobosques&from=2024-01-01&to=2024-12-31`], clean: [`${p.replace(':id', String(published))}?layer=geobosques&from=2024-01-01&to=2024-12-31`] };
      }
      case '/api/areas/:id/vector-alerts': return { clean: [`${p.replace(':id', String(ids.concession))}?layer=geobosques&from=2024-01-01&to=2024-12-31`] };
      case '/api/areas/:id/alerts': return { clean: [`${p.replace(':id', String(ids.concession))}?from=2024-01-01&to=2024-12-31`] };
      case '/api/alerts/export': return { hidden: [`${p}?subject=site&id=${ids.draftSite}&from=2024-01-01&to=2024-12-31`, `${p}?subject=activity&id=${ids.draft}&from=2024-01-01&to=2024-12-31`], clean: [`${p}?subject=site&id=${ids.publishedSite}&from=2024-01-01&to=2024-12-31`] };
      case '/tiles/alerts/:layer/:z/:x/:y.png': return { clean: ['/tiles/alerts/none/4/4/8.png'] };
      case '/alerts/digest-preview': return { hidden: [`${p}?subject=activity&id=${ids.draft}`, `${p}?subject=site&id=${ids.draftSite}`], clean: [`${p}?subject=activity&id=${ids.published}`, `${p}?subject=site&id=${ids.publishedSite}&lang=es`, `${p}?subject=area&id=${ids.concession}`] };
      case '/api/alerts/feed/:token.atom': return { clean: [`/api/alerts/feed/atf_${'x'.repeat(32)}.atom`] };
      case '/api/alerts/feed/:token/maps/:digest/:n.png': return { clean: [`/api/alerts/feed/atf_${'x'.repeat(32)}/maps/1/0.png`] };
      case '/api/indicators/:id':
        return { hidden: [p.replace(':id', String(ids.draftIndicator)), p.replace(':id', String(ids.draftActivityIndicator))], clean: [p.replace(':id', String(ids.publishedIndicator))] };
      case '/api/areas/:id/activities': case '/api/areas/:id/loss': case '/api/concessions/:id/review': case '/concessions/:id/sheet':
        return { clean: [p.replace(':id', String(ids.concession)), p.replace(':id', '1')] };
      case '/api/jobs/:id': return { clean: [p.replace(':id', '1')] };
      // Reports are not drafts of the programme: a pending one is its agency's (404 to others, tested in field_reports.test.ts).
      case '/api/field-reports/:id': return { clean: [p.replace(':id', '00000000-0000-4000-8000-000000000000')] };
      case '/api/field-reports/:id/photos/:photo': return { clean: [p.replace(':id', '00000000-0000-4000-8000-000000000000').replace(':photo', '00000000-0000-4000-8000-000000000001')] };
      case '/api/alerts/status': return { clean: [`${p}?ids=none:1:1:1`] };
      case '/api/programme/matrix': return { clean: [p, `${p}?rows=actionArea`, `${p}?format=csv`] };
      case '/api/programme/matrix/cell': return { clean: [`${p}?row=B&kind=protected_area`, `${p}?row=B&kind=forest_concession`, `${p}?row=B4&kind=protected_area`] };
      case '/api/sites': return { clean: [p, `${p}?activityId=${ids.draft}`, `${p}?priorityArea=B`] };
      case '/api/activities': return { clean: [p, `${p}?priorityArea=B`, `${p}?status=completed`, `${p}?q=wildlife`] };
      case '/api/search': return { clean: [`${p}?q=wildlife`, `${p}?q=draft`, `${p}?q=B-0`] };
      case '/api/statistics': return { clean: [`${p}?subject=site`, `${p}?subject=activity`] };
      case '/api/report': return { clean: [p, `${p}?format=csv`, `${p}?goal=B`] };
      case '/report': return { clean: [p, `${p}?lang=es`] };
      case '/api/export': return { clean: ['sites', 'activities'].flatMap((what) => ['geojson', 'csv'].map((f) => `${p}?what=${what}&format=${f}`)).concat([`${p}?what=sites&activity_id=${ids.draft}`]) };
      case '/api/statistics/export': return { clean: [`${p}?subject=site`, `${p}?subject=activity`] };
      case '/tiles/:layer/:z/:x/:y.mvt': return { clean: ['sites', 'activities'].flatMap((l) => [`/tiles/${l}/4/4/8.mvt`, `/tiles/${l}/6/18/33.mvt`, `/tiles/${l}/8/75/134.mvt`]) };
      case '/tiles/:layer.json': return { clean: ['/tiles/sites.json', '/tiles/activities.json'] };
      case '/tiles/rasters/:layer/:z/:x/:y.png': return { clean: ['/tiles/rasters/none/4/4/8.png'] };
      case '/ogc/collections/:id': return { clean: ['/ogc/collections/sites', '/ogc/collections/activities'] };
      case '/ogc/collections/:id/items': return { clean: ['/ogc/collections/sites/items?limit=1000', '/ogc/collections/activities/items?limit=1000'] };
      case '/ogc/collections/:id/items/:featureId': return { hidden: [`/ogc/collections/sites/items/${ids.draftSite}`, `/ogc/collections/activities/items/${ids.draft}`], clean: [`/ogc/collections/sites/items/${ids.publishedSite}`, `/ogc/collections/activities/items/${ids.published}`] };
      default:
        return p.includes(':') ? {} : { clean: [p] };
    }
  }

  const publicReads = operations.filter((op) => op.method === 'get' && !op.auth);

  it('has a case for every public read', () => {
    const missing = publicReads.filter((op) => op.path.includes(':') && !reads(op).clean && !reads(op).hidden);
    expect(missing.map((op) => op.path)).toEqual([]);
  });

  it('never shows a draft activity, site, indicator or measurement in a public answer, to any role', async () => {
    const leaks: string[] = [];
    for (const op of publicReads) {
      const { hidden = [], clean = [] } = reads(op);
      for (const role of ROLES) {
        for (const url of hidden) {
          const r = await call(role, 'get', url);
          if (r.status !== 404) leaks.push(`${role} GET ${url}: ${r.status}, expected 404`);
        }
        for (const url of clean) {
          const r = await call(role, 'get', url);
          if (r.status >= 500) leaks.push(`${role} GET ${url}: ${r.status}`);
          const text = url.endsWith('.mvt') ? JSON.stringify(r.status === 200 ? decodeMvt(r.bytes) : {}) : r.text;
          const found = SECRETS.filter((s) => text.includes(s));
          if (found.length) leaks.push(`${role} GET ${url}: shows ${found.join(', ')}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    // Numbers carry no names: the statistics of the draft's site and activity must be absent by id.
    for (const [subject, id] of [['site', ids.draftSite], ['activity', ids.draft]] as const) {
      const items = (JSON.parse((await call('admin', 'get', `/api/statistics?subject=${subject}`)).text) as { items: { id: number }[] }).items ?? [];
      expect(items.map((i) => i.id)).not.toContain(id);
    }
  }, 120_000);

  // ---------------------------------------------------------------- writes and signed-in reads
  const siteGeometry = { type: 'Point', coordinates: [-73.2, -9.2] };
  const importForm = () => {
    const f = new FormData();
    f.set('target', 'sites');
    f.set('activity', 'B-01');
    f.set('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Imported post' }, geometry: siteGeometry }] })]), 'posts.geojson');
    return f;
  };
  let n = 0;
  let fieldReportId = '';
  /** The requests of one protected operation, per object state where it has one. */
  function writes(op: Operation): { state: 'published' | 'draft' | 'none'; path: string; body?: () => unknown }[] | undefined {
    const p = op.path;
    const at = (id: number) => p.replace(':id', String(id));
    const both = (pub: number, draft: number, body?: () => unknown) => [{ state: 'published' as const, path: at(pub), ...(body ? { body } : {}) }, { state: 'draft' as const, path: at(draft), ...(body ? { body } : {}) }];
    const one = (body?: () => unknown, path = p) => [{ state: 'none' as const, path, ...(body ? { body } : {}) }];
    switch (`${op.method} ${p}`) {
      case 'post /api/auth/login': return one(() => ({ email: users.admin.email, password: users.admin.password }));
      case 'post /api/auth/logout': return one();
      case 'get /api/auth/tokens': case 'get /api/users': case 'get /api/manage/activities': return one();
      case 'post /api/auth/tokens': return one(() => ({ name: `matrix ${++n}` }));
      case 'post /api/auth/tokens/:id/revoke': return one(undefined, at(999));
      case 'post /api/users': return one(() => ({ email: `matrix${++n}@test.example`, name: 'M', role: 'editor', agencies: ['SERFOR'], password: 'a long enough password' }));
      case 'post /api/users/:id': return one(() => ({ name: `Renamed ${++n}` }), at(users.otherEditor.id));
      case 'post /api/agencies': return one(() => ({ code: 'SENAMHI', name: 'SENAMHI' }));
      case 'get /api/audit': return one(undefined, `${p}?table=activity&id=${ids.published}`);
      case 'get /api/manage/activities/:id': case 'get /api/manage/activities/:id/indicators': case 'get /api/manage/activities/:id/sites': return both(ids.published, ids.draft);
      case 'post /api/activities': return one(() => ({ code: `B-${50 + ++n}`, title: 'New patrols', priorityArea: 'B', leadAgency: 'SERFOR', fundingStatus: 'funded', status: 'planned' }));
      case 'post /api/activities/:id': return both(ids.published, ids.draft, () => ({ summary: `edited ${++n}` }));
      case 'post /api/activities/:id/sites': return both(ids.published, ids.draft, () => ({ name: `Post ${++n}`, geometry: siteGeometry }));
      case 'post /api/sites/:id': return both(ids.publishedSite, ids.draftSite, () => ({ name: `Renamed site ${++n}` }));
      case 'post /api/sites/:id/delete': return both(ids.extraPublishedSite, ids.extraDraftSite);
      case 'post /api/indicators/:id/publish': return both(ids.publishedIndicator, ids.draftIndicator, () => ({ published: true }));
      case 'post /api/measurements/:id/publish': return both(ids.publishedMeasurement, ids.draftMeasurement, () => ({ published: true }));
      case 'post /api/activities/:id/indicators': return both(ids.published, ids.draft, () => ({ name: `Indicator ${++n}`, unit: 'ha', direction: 'higher_is_better', kind: 'manual' }));
      case 'post /api/indicators/:id/measurements': return both(ids.publishedIndicator, ids.draftActivityIndicator, () => ({ measured_at: '2019-12-31', value: 7 }));
      case 'post /api/concessions/:id/review': return one(() => ({ supervision_status: 'watch', note: 'matrix' }), at(ids.concession));
      case 'post /api/imports': return one(importForm);
      case 'post /api/rasters': return one(() => { const f = new FormData(); f.set('kind', 'lossyear'); f.set('name', 'x'); f.set('file', new Blob(['not a tiff']), 'x.tif'); return f; });
      case 'post /api/statistics/jobs': return one(() => ({ subjects: ['area'] }));
      case 'post /api/indicators/recompute': return one(() => ({}));
      case 'post /api/analysis/loss': return one(() => ({ geometry: { type: 'Polygon', coordinates: [[[-74, -10], [-73, -10], [-73, -9], [-74, -10]]] } }));
      case 'post /api/analysis/alerts': return one(() => ({ geometry: { type: 'Polygon', coordinates: [[[-74, -10], [-73, -10], [-73, -9], [-74, -10]]] }, from: '2024-01-01', to: '2024-12-31' }));
      case 'post /api/alerts': return one(() => { const f = new FormData(); f.set('source', 'gfw-integrated'); f.set('name', 'x'); f.set('file', new Blob(['not a tiff']), '10S_070W.tif'); return f; });
      case 'get /api/alerts/subscriptions': case 'get /api/alerts/digest-settings': case 'get /api/alerts/digests': return one();
      case 'post /api/alerts/subscriptions': return one(() => ({ kind: 'area', area_id: ids.concession }));
      case 'post /api/alerts/subscriptions/:id/delete': return one(undefined, at(999_999));
      case 'post /api/alerts/digest-settings': return one(() => ({ frequency: 'weekly' }));
      case 'post /api/alerts/digests/run': return one(() => ({}));
      case 'get /api/alerts/digests/:id/maps/:n.png': return one(undefined, '/api/alerts/digests/999/maps/0.png');
      case 'post /api/packages/estimate': return one(() => ({ subject: 'area', id: ids.concession, min_zoom: 8, max_zoom: 12 }));
      case 'get /api/packages': return one();
      case 'post /api/packages': return one(() => ({ subject: 'area', id: ids.concession, min_zoom: 8, max_zoom: 9 }));
      case 'get /api/packages/:id': case 'get /api/packages/:id/archive.pmtiles': case 'get /api/packages/:id/content.json': case 'post /api/packages/:id/delete': return one(undefined, at(999_999));
      case 'post /api/field-reports': return one(() => ({ id: randomUUID(), kind: 'visit', site_id: ids.publishedSite, position: { lon: -73.2, lat: -9.2, accuracy_m: 8 }, observed_at: new Date().toISOString(), observations: 'matrix' }));
      // Another SERFOR editor's accepted report: visible to all, reviewed by SERFOR's editors and admins.
      case 'post /api/field-reports/:id/review': return one(() => ({ decision: 'accepted', note: 'matrix' }), p.replace(':id', fieldReportId));
      // Photos go to one's own reports only: an unknown report is a 404 for every signed-in user.
      case 'post /api/field-reports/:id/photos/:photo': return one(() => new Blob(['x']), p.replace(':id', randomUUID()).replace(':photo', randomUUID()));
      default: return undefined;
    }
  }

  /** Who may: 'any' (public endpoint), 'signedIn' (any editor or admin), 'agency' (editor of the object's agency, or admin), 'admin'. */
  function policy(op: Operation): 'any' | 'signedIn' | 'agency' | 'admin' {
    if (!op.auth) return 'any';
    if (op.auth === 'admin') return 'admin';
    // Subscriptions, digests and offline packages are each user's own: any signed-in user has them.
    return ['/api/auth/tokens', '/api/auth/tokens/:id/revoke', '/api/audit', '/api/manage/activities', '/api/field-reports/:id/photos/:photo'].includes(op.path) || op.path.startsWith('/api/alerts/subscriptions') || op.path.startsWith('/api/alerts/digest') || op.path.startsWith('/api/packages') ? 'signedIn' : 'agency';
  }
  const allowed = (rule: ReturnType<typeof policy>, role: Role) =>
    rule === 'any' || (role !== 'public' && (rule === 'signedIn' || role === 'admin' || (rule === 'agency' && role === 'ownEditor')));

  it('has a case for every write and every signed-in read', () => {
    const protectedOps = operations.filter((op) => op.method === 'post' || op.auth);
    expect(protectedOps.filter((op) => !writes(op)).map((op) => `${op.method} ${op.path}`)).toEqual([]);
  });

  it('lets each role do exactly what it may, on drafts and published objects alike', async () => {
    // Two extra sites to delete, so deletion is checked without taking the fixtures away.
    const extra = async (activityId: number) => Number((await sql<{ id: number }>`INSERT INTO site (activity_id, name, kind, geom) VALUES (${activityId}, 'To delete', 'site', ST_SetSRID(ST_MakePoint(-73.9, -9.9), 4326)) RETURNING id`.execute(database.db)).rows[0]!.id);
    ids.extraPublishedSite = await extra(ids.published);
    ids.extraDraftSite = await extra(ids.draft);
    const worker = await createTestUser(database, 'editor', ['SERFOR']);
    fieldReportId = randomUUID();
    const made = await fetch(`${app.baseUrl}/api/field-reports`, { method: 'POST', headers: { authorization: `Bearer ${worker.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: fieldReportId, kind: 'visit', site_id: ids.publishedSite, position: { lon: -73.2, lat: -9.2, accuracy_m: 5 }, observed_at: new Date().toISOString() }) });
    expect(made.status).toBe(201);
    await sql`UPDATE field_report SET review_status = 'accepted' WHERE id = ${fieldReportId}::uuid`.execute(database.db);
    const wrong: string[] = [];
    const cells: string[] = [];
    for (const op of operations.filter((o) => o.method === 'post' || o.auth)) {
      const rule = policy(op);
      for (const req of writes(op)!) {
        // The admin goes last: an editor's denied attempt must not depend on what the admin did first.
        for (const role of ['public', 'otherEditor', 'ownEditor', 'admin'] as Role[]) {
          const r = await call(role, op.method, req.path, req.body?.());
          const ok = allowed(rule, role);
          cells.push(`${op.method} ${req.path} ${req.state} ${role} ${r.status}`);
          if (r.status >= 500) wrong.push(`${role} ${op.method} ${req.path} (${req.state}): ${r.status} ${r.text.slice(0, 200)}`);
          else if (ok && (r.status === 401 || r.status === 403)) wrong.push(`${role} ${op.method} ${req.path} (${req.state}): refused ${r.status} ${r.text.slice(0, 200)}`);
          else if (!ok && r.status !== (role === 'public' ? 401 : 403)) wrong.push(`${role} ${op.method} ${req.path} (${req.state}): ${r.status}, expected ${role === 'public' ? 401 : 403}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cells.length).toBeGreaterThanOrEqual(160); // 40 requests (writes and signed-in reads, on both states where they have one) x 4 roles
  }, 180_000);

  it('writes who did what to the audit log, before and after', async () => {
    const r = await call('ownEditor', 'get', `/api/audit?table=activity&id=${ids.published}`);
    expect(r.status).toBe(200);
    const entries = JSON.parse(r.text) as { actor: string; action: string; before: { summary: string }; after: { summary: string }; requestId: string | null }[];
    const edits = entries.filter((e) => e.action === 'update' && e.after?.summary?.startsWith('edited'));
    expect(edits.map((e) => e.actor)).toEqual(expect.arrayContaining([users.ownEditor.email, users.admin.email]));
    expect(edits.every((e) => e.before.summary !== e.after.summary && e.requestId)).toBe(true);
    // Denied attempts changed nothing, so they left no entry.
    expect(entries.some((e) => e.actor === users.otherEditor.email)).toBe(false);
  });

  it('attributes each change to its own author when two users write at the same time', async () => {
    const writers = [users.ownEditor, users.admin];
    await Promise.all(Array.from({ length: 24 }, (_, i) => {
      const who = writers[i % 2]!;
      return call(who === users.admin ? 'admin' : 'ownEditor', 'post', `/api/activities/${i % 4 < 2 ? ids.published : ids.draft}`, { summary: `by ${who.email} #${i}` });
    }));
    const entries: { actor: string; action: string; after: { summary: string } }[] = [];
    for (const id of [ids.published, ids.draft]) entries.push(...JSON.parse((await call('admin', 'get', `/api/audit?table=activity&id=${id}&limit=500`)).text));
    const concurrent = entries.filter((e) => e.action === 'update' && e.after.summary.startsWith('by '));
    expect(concurrent).toHaveLength(24);
    for (const e of concurrent) expect(e.after.summary).toContain(`by ${e.actor} #`);
  });

  it('takes a change made with the session cookie only with its CSRF token, from its own origin', async () => {
    const session = await signIn(app.baseUrl, users.ownEditor);
    const post = (headers: Record<string, string>) =>
      fetch(`${app.baseUrl}/api/activities/${ids.published}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie, ...headers }, body: JSON.stringify({ summary: 'via the session' }) });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-csrf-token': 'not-the-token' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': session.csrfToken, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': session.csrfToken, origin: app.baseUrl })).status).toBe(200);
    // Reads need no token; signing out ends the session.
    const me = await (await fetch(`${app.baseUrl}/api/auth/me`, { headers: { cookie: session.cookie } })).json() as { user: { email: string } | null };
    expect(me.user?.email).toBe(users.ownEditor.email);
    await fetch(`${app.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } });
    expect(((await (await fetch(`${app.baseUrl}/api/auth/me`, { headers: { cookie: session.cookie } })).json()) as { user: unknown }).user).toBeNull();
  });

  it('slows password guessing: the 11th sign-in attempt in 15 minutes for one address and email is a 429', async () => {
    const attempt = () => fetch(`${app.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'guessed@test.example', password: 'guess guess guess' }) });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(401);
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/wait 15 minutes/);
  }, 60_000);
});
