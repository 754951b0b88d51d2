// What a signed-in user follows and how digests reach them: subscriptions (an area, an activity's
// sites, a drawn polygon, or a rule), digest settings (frequency, language, e-mail, a feed token, a
// webhook and its signing secret), the digests made for them, and their Atom feed.
import type { Kysely } from 'kysely';
import { Feed } from 'feed';
import type { Database } from '../db/schema';
import type { DigestSettings, DigestSettingsInput, Subscription, SubscriptionInput, SubscriptionRule } from '../api';
import type { UserActor } from '../auth/actor';
import { canActFor } from '../auth/actor';
import { hashSecret, newSecret } from '../auth/secrets';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import { findRasterLayer } from '../db/repositories/raster_layers.repository';
import { countSubscriptions, deleteSubscription, digestMap, findDigest, findSetting, insertSubscription, listDigests, listSubscriptions, subjectNames, upsertSetting, userOfFeedToken, deliveriesOf, type SubscriptionRow } from '../db/repositories/alert_subscriptions.repository';
import { listAreaKinds } from '../db/repositories/areas.repository';
import { subjectGeometryWkbs } from '../db/repositories/loss_statistics.repository';
import { dateOfDay, today } from '../alerts/alert_encoding';
import { isPrivateHostLiteral } from '../alerts/webhook_post';
import type { GeometryPool } from '../geometry/geometry_pool';
import type { GeometryLimits } from '../geometry/limits';
import { prepareForAnalysis } from './user_geometry.service';
import { digestMessage } from '../reports/digest_message';
import { settingsUrl } from './digest_delivery.service';
import type { Digest } from '../api';

/** Subscriptions one user may hold: each costs work in every digest run. */
export const MAX_SUBSCRIPTIONS = 100;

function toApi(r: SubscriptionRow): Subscription {
  return {
    id: r.id,
    kind: r.kind,
    label: r.label,
    area_id: r.area_id,
    activity_id: r.activity_id,
    rule: (r.rule as SubscriptionRule | null) ?? null,
    layer: r.layer,
    confidence: r.confidence as Subscription['confidence'],
    since: r.since,
    created_at: r.created_at.toISOString(),
  };
}

export async function subscriptionsOf(db: Kysely<Database>, user: UserActor): Promise<Subscription[]> {
  return (await listSubscriptions(db, user.id)).map(toApi);
}

async function languageOf(db: Kysely<Database>, userId: number): Promise<'en' | 'es'> {
  return (await findSetting(db, userId))?.language ?? 'en';
}

export async function subscribe(db: Kysely<Database>, user: UserActor, input: SubscriptionInput, work: { geometry: GeometryPool; limits: GeometryLimits; siteBufferM: number }): Promise<Subscription> {
  if ((await countSubscriptions(db, user.id)) >= MAX_SUBSCRIPTIONS) throw new BadRequestError(`You follow ${MAX_SUBSCRIPTIONS} subjects already, the most one account may: remove some, or follow a rule instead.`);
  if (input.layer) {
    const layer = await findRasterLayer(db, input.layer);
    if (layer?.kind !== 'alert') throw new BadRequestError(`layer: there is no alert layer "${input.layer}" (GET /api/alerts/layers); leave it out to follow every alert layer.`);
  }
  const todayDate = dateOfDay(today());
  const since = input.since ?? dateOfDay(today() - 7);
  if (since < '2015-01-01' || since > todayDate) throw new BadRequestError(`since (${since}) must be between 2015-01-01 and today (${todayDate}).`);
  // A first subscription sets the digests' language to the reader's; after that, their own choice holds.
  if (input.lang && !(await findSetting(db, user.id))) await upsertSetting(db, user.id, { language: input.lang });
  const lang = await languageOf(db, user.id);
  const common = { userId: user.id, layer: input.layer ?? null, confidence: input.confidence ?? ['low', 'high', 'highest'], since };
  let row: SubscriptionRow;
  if (input.kind === 'area') {
    const area = await subjectNames(db, 'area', input.area_id);
    if (!area) throw new NotFoundError(`No area ${input.area_id}.`);
    row = await insertSubscription(db, { ...common, kind: 'area', areaId: input.area_id, label: input.label ?? area.name });
  } else if (input.kind === 'activity') {
    const activity = await subjectNames(db, 'activity', input.activity_id);
    if (!activity) throw new NotFoundError(`No activity ${input.activity_id}.`);
    if (!(await subjectGeometryWkbs(db, 'activity', [input.activity_id], work.siteBufferM)).size) throw new BadRequestError(`The activity ${input.activity_id} has no sites yet: there is nothing to watch until it has.`);
    row = await insertSubscription(db, { ...common, kind: 'activity', activityId: input.activity_id, label: input.label ?? activity.name });
  } else if (input.kind === 'polygon') {
    // Checked and repaired off the database, under the caller's limits, before PostGIS sees it.
    const prepared = await prepareForAnalysis(work.geometry, input.geometry, work.limits, 0);
    if (!prepared.geometry || !/POLYGON/.test(prepared.type)) throw new BadRequestError('geometry: a Polygon or MultiPolygon (a drawn area) to follow; a point or line has no area.');
    row = await insertSubscription(db, { ...common, kind: 'polygon', geojson: JSON.stringify(prepared.geometry), label: input.label ?? (lang === 'es' ? `Polígono dibujado (${todayDate})` : `Drawn polygon (${todayDate})`) });
  } else {
    row = await insertSubscription(db, { ...common, kind: 'rule', rule: input.rule, label: input.label ?? (await ruleLabel(db, user, input.rule, lang)) });
  }
  await upsertSetting(db, user.id, {});
  return toApi(row);
}

/** Checks the rule and names it in the user's language. */
async function ruleLabel(db: Kysely<Database>, user: UserActor, rule: SubscriptionRule, lang: 'en' | 'es'): Promise<string> {
  if (rule.type === 'agency_sites') {
    if (!canActFor(user, rule.agency)) throw new ForbiddenError(`You work for ${user.agencies.join(', ') || 'no agency'}: follow the sites of one of them (an admin may follow any agency's).`);
    return lang === 'es' ? `Cada sitio de ${rule.agency}` : `Every site of ${rule.agency}`;
  }
  const kind = (await listAreaKinds(db)).find((k) => k.code === rule.area_kind);
  if (!kind) throw new BadRequestError(`rule.area_kind: no area kind "${rule.area_kind}" (GET /api/area-kinds).`);
  const within = await subjectNames(db, 'area', rule.within_area_id);
  if (!within) throw new NotFoundError(`rule.within_area_id: no area ${rule.within_area_id}.`);
  return lang === 'es' ? `Cada ${kind.label_es.toLowerCase()} en ${within.name}` : `Every ${kind.label_en.toLowerCase()} in ${within.name}`;
}

export async function unsubscribe(db: Kysely<Database>, user: UserActor, id: number): Promise<void> {
  if (!(await deleteSubscription(db, user.id, id))) throw new NotFoundError(`You have no subscription ${id}.`);
}

export async function digestSettingsOf(db: Kysely<Database>, user: UserActor, smtp: boolean): Promise<DigestSettings> {
  const s = await findSetting(db, user.id);
  return {
    frequency: s?.frequency ?? 'weekly',
    language: s?.language ?? 'en',
    email: s?.email ?? true,
    email_address: user.email,
    smtp_configured: smtp,
    has_feed: Boolean(s?.feed_token_hash),
    webhook_url: s?.webhook_url ?? null,
    last_run_at: s?.last_run_at?.toISOString() ?? null,
  };
}

export async function changeDigestSettings(db: Kysely<Database>, user: UserActor, input: DigestSettingsInput, options: { smtp: boolean; publicUrl: string; webhookPrivateHosts: boolean }): Promise<DigestSettings> {
  const values: Parameters<typeof upsertSetting>[2] = {};
  if (input.frequency) values.frequency = input.frequency;
  if (input.language) values.language = input.language;
  if (input.email !== undefined) values.email = input.email;
  let feedToken: string | undefined;
  if (input.new_feed_token) {
    feedToken = `atf_${newSecret(24)}`;
    values.feed_token_hash = hashSecret(feedToken);
  }
  let secret: string | undefined;
  if (input.webhook_url === null) Object.assign(values, { webhook_url: null, webhook_secret: null });
  else if (input.webhook_url !== undefined) {
    const host = new URL(input.webhook_url).hostname;
    if (!options.webhookPrivateHosts && isPrivateHostLiteral(host)) throw new BadRequestError(`webhook_url: ${host} is a private address; webhooks go to public addresses only.`);
    const current = await findSetting(db, user.id);
    if (current?.webhook_url !== input.webhook_url) {
      secret = `whsec_${newSecret(24)}`;
      Object.assign(values, { webhook_url: input.webhook_url, webhook_secret: secret });
    }
  }
  await upsertSetting(db, user.id, values);
  const out = await digestSettingsOf(db, user, options.smtp);
  return { ...out, ...(feedToken ? { feed_url: `${options.publicUrl}/api/alerts/feed/${feedToken}.atom` } : {}), ...(secret ? { webhook_signing_key: secret } : {}) };
}

/** The user's latest digests with how each was delivered. */
export async function digestsOf(db: Kysely<Database>, user: UserActor, limit = 20) {
  const rows = await listDigests(db, user.id, limit);
  const deliveries = await deliveriesOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    ...(r.content as Omit<Digest, 'id' | 'created_at'>),
    id: r.id,
    created_at: r.created_at.toISOString(),
    deliveries: deliveries.filter((d) => d.digest_id === r.id).map(({ digest_id: _, ...d }) => ({ ...d, sent_at: d.sent_at?.toISOString() ?? null })),
  }));
}

/** A digest's map image, for its owner (signed in, or by their feed token). */
export async function digestMapFor(db: Kysely<Database>, userId: number, digestId: number, n: number): Promise<Buffer> {
  const digest = await findDigest(db, digestId);
  const png = digest?.user_id === userId ? await digestMap(db, digestId, n) : undefined;
  if (!png) throw new NotFoundError(`No map ${n} in your digest ${digestId}.`);
  return Buffer.from(png);
}

export async function userOfFeed(db: Kysely<Database>, token: string) {
  const user = /^atf_[A-Za-z0-9_-]{20,64}$/.test(token) ? await userOfFeedToken(db, hashSecret(token)) : undefined;
  if (!user) throw new NotFoundError('No such feed: make a new feed address in your digest settings.');
  return user;
}

/** The Atom feed of a user's latest digests; the token in its URL is its only key. */
export async function digestFeed(db: Kysely<Database>, token: string, publicUrl: string): Promise<string> {
  const user = await userOfFeed(db, token);
  const rows = await listDigests(db, user.id, 30);
  const es = user.language === 'es';
  const feedUrl = `${publicUrl}/api/alerts/feed/${token}.atom`;
  const feed = new Feed({
    id: `${publicUrl}/alerts/feed/${user.id}`,
    title: es ? `Atalaya: alertas de deforestación de ${user.name}` : `Atalaya: deforestation alerts for ${user.name}`,
    link: `${publicUrl}/?lang=${user.language}`,
    language: user.language,
    copyright: es ? 'Alertas: ver la licencia de cada capa' : 'Alerts: see each layer’s licence',
    updated: rows[0]?.created_at ?? new Date(0),
    feedLinks: { atom: feedUrl },
  });
  for (const r of rows) {
    const content = r.content as Omit<Digest, 'id' | 'created_at'>;
    const msg = digestMessage(content, settingsUrl(publicUrl, user.language), (n) => `${publicUrl}/api/alerts/feed/${token}/maps/${r.id}/${n}.png`);
    feed.addItem({ id: `urn:atalaya:alert-digest:${r.id}`, title: msg.subject, link: `${publicUrl}/?lang=${user.language}`, date: r.created_at, content: msg.html, description: msg.text.split('\n').slice(0, 3).join(' ') });
  }
  return feed.atom1();
}
