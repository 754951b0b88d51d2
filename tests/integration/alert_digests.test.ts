// Alert subscriptions and digests end to end over HTTP: an area, a rule (every concession in a
// department), a drawn polygon; digests made by the job, e-mailed to a real SMTP server in this
// process (parsed back: Spanish or English by the user's choice, counts and dates in that language,
// the map image attached), POSTed to a webhook with a signature that verifies, listed in the Atom
// feed by its token. Every count equals what POST /api/analysis/alerts answers for the same zone
// and days. A second run reports nothing again; a newer file reports only what is new.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAnswerSchema, digestSchema, digestSettingsSchema, subscriptionSchema } from '../../server/api';
import { dateOfDay, today } from '../../server/alerts/alert_encoding';
import { createLogger } from '../../server/log';
import { loadConfig } from '../../server/config';
import { RasterStores } from '../../server/services/rasters.service';
import { runDigests } from '../../server/services/digest_jobs';
import { createTestUser, type TestUser } from '../helpers/accounts';
import { addAlertLayer, addAreas, BOXES, firstAlerts, pixelBox, startSmtp, startWebhookReceiver } from '../helpers/digest_fixture';
import { useTestApp } from '../helpers/test_app';
import { testDatabaseKind } from '../helpers/test_database';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-digests-'));
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  smtp = await startSmtp();
  hook = await startWebhookReceiver();
});
afterAll(async () => {
  await smtp?.close();
  await hook?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe(`alert subscriptions and digests on the ${testDatabaseKind()} database`, () => {
  let areas: Awaited<ReturnType<typeof addAreas>>;
  const t = useTestApp({
    env: { ATALAYA_WEBHOOK_PRIVATE_HOSTS: 'true', ATALAYA_PUBLIC_URL: 'https://atalaya.example.org' },
    seed: async (database) => {
      areas = await addAreas(database.db);
      await addAlertLayer(database.db, work, firstAlerts());
    },
  }, 120_000);
  let ana: TestUser, bob: TestUser;
  const config = () => loadConfig({ LOG_LEVEL: 'silent', ATALAYA_SMTP_URL: smtp.url, ATALAYA_PUBLIC_URL: 'https://atalaya.example.org', ATALAYA_WEBHOOK_PRIVATE_HOSTS: 'true' });
  const run = async (force = true) => {
    const rasters = new RasterStores(t.database.db);
    try {
      return await runDigests(t.database.db, config(), createLogger(config()), { rasters, siteBufferM: 5000 }, { force });
    } finally {
      rasters.close();
    }
  };
  const call = async (user: TestUser, p: string, body?: unknown) => {
    const res = await fetch(`${t.app.baseUrl}${p}`, { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const since = () => dateOfDay(today() - 7);
  /** What the analysis endpoint counts in a geometry since the subscriptions' floor. */
  const analysed = async (geometry: unknown) =>
    alertAnswerSchema.parse(await (await fetch(`${t.app.baseUrl}/api/analysis/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ geometry, layer: 'test_alerts', from: since(), to: dateOfDay(today()) }) })).json());

  it('refuses the public, bad subjects and rules outside your agencies, and stores nothing for them', async () => {
    ana = await createTestUser(t.database, 'editor', ['SERFOR']);
    bob = await createTestUser(t.database, 'editor', ['OSINFOR']);
    expect((await fetch(`${t.app.baseUrl}/api/alerts/subscriptions`)).status).toBe(401);
    expect((await call(ana, '/api/alerts/subscriptions', { kind: 'area', area_id: 999_999 })).status).toBe(404);
    const point = await call(ana, '/api/alerts/subscriptions', { kind: 'polygon', geometry: { type: 'Point', coordinates: [-69.45, -12.55] } });
    expect(point.status).toBe(400);
    expect(point.body.error.message).toMatch(/Polygon/);
    expect((await call(ana, '/api/alerts/subscriptions', { kind: 'rule', rule: { type: 'agency_sites', agency: 'OSINFOR' } })).status).toBe(403);
    expect((await call(ana, '/api/alerts/subscriptions', { kind: 'rule', rule: { type: 'areas_within', area_kind: 'no_such_kind', within_area_id: areas.department } })).status).toBe(400);
    expect((await call(ana, '/api/alerts/subscriptions', { kind: 'area', area_id: areas.concessionA, layer: 'no_such_layer' })).status).toBe(400);
    expect((await call(ana, '/api/alerts/subscriptions', { kind: 'area', area_id: areas.concessionA, since: '2014-12-31' })).status).toBe(400);
    expect((await call(ana, '/api/alerts/subscriptions')).body).toEqual([]);
  });

  it('e-mails, posts and lists what is new per subscription, counted as the analysis counts it, in the user’s language', async () => {
    // Ana: Spanish, e-mail, a webhook and a feed; a concession, a rule and a drawn polygon over the park.
    const settings = await call(ana, '/api/alerts/digest-settings', { language: 'es', frequency: 'daily', webhook_url: hook.url, new_feed_token: true });
    expect(settings.status).toBe(200);
    const s = digestSettingsSchema.parse(settings.body);
    expect(s.feed_url).toMatch(/^https:\/\/atalaya\.example\.org\/api\/alerts\/feed\/atf_/);
    expect(s.webhook_signing_key).toMatch(/^whsec_/);
    expect(digestSettingsSchema.parse((await call(ana, '/api/alerts/digest-settings')).body)).not.toHaveProperty('webhook_signing_key'); // shown once
    const area = subscriptionSchema.parse((await call(ana, '/api/alerts/subscriptions', { kind: 'area', area_id: areas.concessionA })).body);
    expect(area.label).toBe('Concesión A');
    const rule = subscriptionSchema.parse((await call(ana, '/api/alerts/subscriptions', { kind: 'rule', rule: { type: 'areas_within', area_kind: 'forest_concession', within_area_id: areas.department } })).body);
    expect(rule.label).toBe('Cada concesión forestal en Madre de Dios');
    const parkBox = pixelBox(...BOXES.park);
    const drawn = subscriptionSchema.parse((await call(ana, '/api/alerts/subscriptions', { kind: 'polygon', geometry: parkBox, label: 'Mi parque' })).body);
    // Bob: English, e-mail only, the concession B.
    await call(bob, '/api/alerts/digest-settings', { language: 'en' });
    await call(bob, '/api/alerts/subscriptions', { kind: 'area', area_id: areas.concessionB, confidence: ['low', 'high'] });

    expect(await run()).toMatch(/2 users due, 2 digests made; 3 deliveries sent, 0 failed/);
    // What the analysis endpoint counts in each zone since the floor (the old alerts of B are before it).
    const [a, b, park] = [await analysed(pixelBox(...BOXES.concessionA)), await analysed(pixelBox(...BOXES.concessionB)), await analysed(parkBox)];
    expect([a.total_px, b.total_px, park.total_px]).toEqual([10, 5, 4]);

    const digests = (await call(ana, '/api/alerts/digests')).body as { id: number; deliveries: { channel: string; status: string }[] }[];
    expect(digests).toHaveLength(1);
    const digest = digestSchema.parse(digests[0]);
    expect(digests[0]!.deliveries.map((d) => [d.channel, d.status])).toEqual([['email', 'sent'], ['webhook', 'sent']]);
    const bySub = new Map(digest.subscriptions.map((x) => [x.id, x.layers[0]!]));
    expect(bySub.get(area.id)).toMatchObject({ px: a.total_px, ha: expect.closeTo(a.total_ha, 6), by_confidence: { high: { px: 10 } }, first_date: dateOfDay(today() - 3), last_date: dateOfDay(today() - 3) });
    expect(bySub.get(rule.id)!.px).toBe(a.total_px + b.total_px);
    expect(bySub.get(rule.id)!.subjects.map((x) => [x.name, x.px])).toEqual([['Concesión A', 10], ['Concesión B', 5]]);
    expect(bySub.get(rule.id)!.subjects[0]!.link).toBe(`https://atalaya.example.org/?lang=es&sel=area:forest_concession:${areas.concessionA}&alerts=${dateOfDay(today() - 3)}..${dateOfDay(today() - 1)}&show=alerts`); // the days of the rule's new alerts
    expect(bySub.get(drawn.id)).toMatchObject({ px: park.total_px, by_confidence: { highest: { px: 4 } } });
    expect(digest.total_px).toBe(10 + 15 + 4);

    // The e-mails: one per user, in their language, with the map attached inline.
    const toAna = smtp.received.filter((r) => r.mail.to && JSON.stringify(r.mail.to).includes(ana.email));
    const toBob = smtp.received.filter((r) => r.mail.to && JSON.stringify(r.mail.to).includes(bob.email));
    expect([toAna.length, toBob.length]).toEqual([1, 1]);
    const mail = toAna[0]!.mail;
    expect(mail.subject).toBe(`Atalaya: 29 nuevas alertas de deforestación (${(digest.total_ha).toLocaleString('es-ES', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} ha) en sus suscripciones`);
    expect(mail.text).toContain('# Cada concesión forestal en Madre de Dios');
    expect(mail.text).toContain('confianza: alta 10');
    const maps = mail.attachments.filter((x) => x.contentType === 'image/png');
    expect(maps.map((m) => m.cid)).toEqual(['map-0@atalaya', 'map-1@atalaya', 'map-2@atalaya']);
    expect(mail.html).toContain('<img src="data:image/png;base64,'); // the parser put the cid: image in place: it is linked
    expect(maps[0]!.content.subarray(1, 4).toString()).toBe('PNG');
    expect(mail.messageId).toBe(`<alert-digest-${digest.id}@atalaya.example.org>`);
    expect(toBob[0]!.mail.subject).toMatch(/^Atalaya: 5 new deforestation alerts \(\d+\.\d ha\) in your subscriptions$/);
    expect(toBob[0]!.mail.text).toContain('by confidence: low 5');

    // The webhook: the same digest, signed with the secret shown once.
    expect(hook.calls).toHaveLength(1);
    const call0 = hook.calls[0]!;
    const expected = `sha256=${crypto.createHmac('sha256', s.webhook_signing_key!).update(`${call0.headers['x-atalaya-timestamp']}.${call0.body}`).digest('hex')}`;
    expect(call0.headers['x-atalaya-signature']).toBe(expected);
    expect(call0.headers['x-atalaya-delivery']).toBe(`digest-${digest.id}`);
    const posted = JSON.parse(call0.body) as { id: number; total_px: number; maps: Record<string, string> };
    expect([posted.id, posted.total_px]).toEqual([digest.id, 29]);
    expect(posted.maps['0']).toMatch(/^data:image\/png;base64,/);

    // The Atom feed by its token (and nothing without the right one).
    const token = /feed\/(atf_[^.]+)\.atom/.exec(s.feed_url!)![1]!;
    const feed = await (await fetch(`${t.app.baseUrl}/api/alerts/feed/${token}.atom`)).text();
    expect(feed).toContain(`<id>urn:atalaya:alert-digest:${digest.id}</id>`);
    expect(feed).toContain('nuevas alertas de deforestación');
    expect((await fetch(`${t.app.baseUrl}/api/alerts/feed/atf_${'x'.repeat(32)}.atom`)).status).toBe(404);
    const img = await fetch(`${t.app.baseUrl}/api/alerts/feed/${token}/maps/${digest.id}/0.png`);
    expect([img.status, img.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect((await fetch(`${t.app.baseUrl}/api/alerts/digests/${digest.id}/maps/0.png`, { headers: { authorization: `Bearer ${bob.token}` } })).status).toBe(404); // not Bob's
  });

  it('previews what a digest of an area’s last days would say, to anyone, storing nothing', async () => {
    const page = await (await fetch(`${t.app.baseUrl}/alerts/digest-preview?subject=area&id=${areas.concessionB}&days=7&lang=es`)).text();
    expect(page).toContain('Vista previa del resumen: Concesión B');
    expect(page).toContain('<b>5 alertas, ');
    expect(page).toContain('<img src="data:image/png;base64,');
    const older = await (await fetch(`${t.app.baseUrl}/alerts/digest-preview?subject=area&id=${areas.concessionB}&days=60`)).text();
    expect(older).toContain('<b>8 alerts, '); // the three older alerts too
    expect((await fetch(`${t.app.baseUrl}/alerts/digest-preview?subject=area&id=999999`)).status).toBe(404);
    expect((await fetch(`${t.app.baseUrl}/alerts/digest-preview?subject=area&id=${areas.concessionB}&days=400`)).status).toBe(400);
  });

  it('reports nothing twice, and only what a newer file adds', async () => {
    const mails = smtp.received.length;
    expect(await run()).toMatch(/2 users due, 0 digests made; 0 deliveries sent/);
    expect(smtp.received.length).toBe(mails);
    // A newer file: two more alerts in A, one of A's pixels re-detected on a later day, B unchanged.
    const alerts = firstAlerts();
    alerts[0]!.age = 0;
    alerts.push({ col: 50, row: 50, age: 0, conf: 4 }, { col: 51, row: 50, age: 0, conf: 4 });
    await addAlertLayer(t.database.db, work, alerts, 'test_alerts', 'b');
    expect(await run()).toMatch(/2 users due, 1 digests made; 2 deliveries sent/);
    const latest = digestSchema.parse(((await call(ana, '/api/alerts/digests')).body as unknown[])[0]);
    expect(latest.subscriptions.map((x) => [x.label, x.layers[0]!.px])).toEqual([['Concesión A', 3], ['Cada concesión forestal en Madre de Dios', 3]]);
    expect(smtp.received.length).toBe(mails + 1); // Bob had nothing new
  });

  it('is due by each user’s frequency, and a removed subscription is gone', async () => {
    const subs = (await call(bob, '/api/alerts/subscriptions')).body as { id: number }[];
    expect((await call(bob, `/api/alerts/subscriptions/${subs[0]!.id}/delete`, {})).status).toBe(204);
    expect((await call(bob, `/api/alerts/subscriptions/${subs[0]!.id}/delete`, {})).status).toBe(404);
    expect((await call(ana, '/api/alerts/digests/run', {})).status).toBe(403); // admins only
    expect(await run(false)).toMatch(/^0 users due/); // Ana's daily digest ran minutes ago
  });
});
