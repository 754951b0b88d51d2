// Subscriptions, digest settings, reported alerts, digests and their deliveries. A digest, the
// alerts it reports and its deliveries are written in one transaction (commitDigest): a job killed
// before it commits leaves nothing behind, one killed after it has the deliveries still pending.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema';

export type SubscriptionRow = Awaited<ReturnType<typeof listSubscriptions>>[number];

const subscriptionColumns = ['s.id', 's.user_id', 's.kind', 's.area_id', 's.activity_id', 's.rule', 's.label', 's.layer', 's.confidence', sql<string>`to_char(s.since, 'YYYY-MM-DD')`.as('since'), 's.created_at'] as const;

export async function listSubscriptions(db: Kysely<Database>, userId: number) {
  return db.selectFrom('alert_subscription as s').select(subscriptionColumns).where('s.user_id', '=', userId).orderBy('s.id').execute();
}

export async function countSubscriptions(db: Kysely<Database>, userId: number): Promise<number> {
  const r = await db.selectFrom('alert_subscription').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return r.n;
}

export interface NewSubscription {
  userId: number;
  kind: 'area' | 'activity' | 'polygon' | 'rule';
  areaId?: number;
  activityId?: number;
  /** A repaired polygonal GeoJSON geometry in EPSG:4326. */
  geojson?: string;
  rule?: Record<string, unknown>;
  label: string;
  layer: string | null;
  confidence: string[];
  since: string;
}

export async function insertSubscription(db: Kysely<Database>, s: NewSubscription) {
  const { id } = await db
    .insertInto('alert_subscription')
    .values({
      user_id: s.userId,
      kind: s.kind,
      area_id: s.areaId ?? null,
      activity_id: s.activityId ?? null,
      geom: s.geojson ? sql<string>`ST_Multi(ST_CollectionExtract(ST_SetSRID(ST_GeomFromGeoJSON(${s.geojson}), 4326), 3))` : null,
      rule: s.rule ? JSON.stringify(s.rule) : null,
      label: s.label,
      layer: s.layer,
      confidence: s.confidence,
      since: s.since,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await db.selectFrom('alert_subscription as s').select(subscriptionColumns).where('s.id', '=', id).executeTakeFirstOrThrow());
}

export async function deleteSubscription(db: Kysely<Database>, userId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('alert_subscription').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** A drawn polygon subscription's geometry as WKB. */
export async function subscriptionPolygonWkb(db: Kysely<Database>, id: number): Promise<Uint8Array | undefined> {
  const r = await sql<{ wkb: Uint8Array }>`SELECT ST_AsBinary(ST_Force2D(geom)) AS wkb FROM alert_subscription WHERE id = ${id} AND geom IS NOT NULL`.execute(db);
  const wkb = r.rows[0]?.wkb;
  return wkb ? new Uint8Array(wkb.buffer, wkb.byteOffset, wkb.byteLength) : undefined;
}

/** Areas of a kind that intersect another area (a rule), by id, at most `limit` + 1 (to tell there were more). */
export async function areasWithin(db: Kysely<Database>, kind: string, withinAreaId: number, limit: number) {
  return (
    await sql<{ id: number; name: string; kind: string }>`SELECT a.id, a.name, a.kind FROM area a, area w
      WHERE w.id = ${withinAreaId} AND a.kind = ${kind} AND a.id <> w.id AND a.geom && w.geom AND ST_Intersects(a.geom, w.geom)
      ORDER BY a.id LIMIT ${limit + 1}`.execute(db)
  ).rows;
}

/** Sites of the activities an agency leads, at most `limit` + 1. */
export async function sitesOfAgency(db: Kysely<Database>, agency: string, limit: number) {
  return db.selectFrom('site as s').innerJoin('activity as a', 'a.id', 's.activity_id').select(['s.id', 's.name']).where('a.lead_agency', '=', agency).orderBy('s.id').limit(limit + 1).execute();
}

/** An area's, activity's or site's name (and an area's kind), for labels and links. */
export async function subjectNames(db: Kysely<Database>, subject: 'area' | 'activity' | 'site', id: number): Promise<{ id: number; name: string; kind: string } | undefined> {
  if (subject === 'area') return db.selectFrom('area').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
  if (subject === 'site') return db.selectFrom('site').select(['id', 'name', sql<string>`'site'`.as('kind')]).where('id', '=', id).executeTakeFirst();
  return db.selectFrom('activity').select(['id', sql<string>`title`.as('name'), sql<string>`'activity'`.as('kind')]).where('id', '=', id).executeTakeFirst();
}

// Settings

export async function findSetting(db: Kysely<Database>, userId: number) {
  return db.selectFrom('alert_digest_setting').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function upsertSetting(db: Kysely<Database>, userId: number, values: Partial<{ frequency: 'daily' | 'weekly' | 'off'; language: 'en' | 'es'; email: boolean; feed_token_hash: string; webhook_url: string | null; webhook_secret: string | null }>) {
  return db
    .insertInto('alert_digest_setting')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function userOfFeedToken(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('alert_digest_setting as d')
    .innerJoin('app_user as u', 'u.id', 'd.user_id')
    .select(['u.id', 'u.name', 'd.language'])
    .where('d.feed_token_hash', '=', tokenHash)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
}

/** Users with at least one subscription and digests not off, with their e-mail and settings. */
export async function digestUsers(db: Kysely<Database>, userIds?: number[]) {
  let q = db
    .selectFrom('app_user as u')
    .innerJoin('alert_digest_setting as d', 'd.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.name', 'd.frequency', 'd.language', 'd.email as send_email', 'd.webhook_url', 'd.last_run_at'])
    .where('u.disabled', '=', false)
    .where('d.frequency', '<>', 'off')
    .where(({ exists, selectFrom }) => exists(selectFrom('alert_subscription as s').select('s.id').whereRef('s.user_id', '=', 'u.id')))
    .orderBy('u.id');
  if (userIds) q = q.where('u.id', 'in', userIds.length ? userIds : [-1]);
  return q.execute();
}

// Reported alerts

export async function seenKeyBytes(db: Kysely<Database>, subscriptionId: number, layerId: number): Promise<Uint8Array | undefined> {
  return (await db.selectFrom('alert_seen').select('keys').where('subscription_id', '=', subscriptionId).where('layer_id', '=', layerId).executeTakeFirst())?.keys;
}

export interface DigestCommit {
  userId: number;
  language: 'en' | 'es';
  /** The user's last run as read before computing: another run since then means this one is stale. */
  lastRunAt: Date | null;
  /** Undefined when nothing was new: only the reported alerts' floor and the run time are kept. */
  content?: Record<string, unknown>;
  maps: Buffer[];
  deliveries: { channel: 'email' | 'webhook'; target: string }[];
  seen: { subscriptionId: number; layerId: number; keys: Uint8Array }[];
}

/** Writes a digest with its maps, deliveries and reported alerts at once; undefined when another run got there first. */
export async function commitDigest(db: Kysely<Database>, c: DigestCommit): Promise<number | null | undefined> {
  return db.transaction().execute(async (tx: Transaction<Database>) => {
    const current = (await sql<{ last_run_at: Date | null }>`SELECT last_run_at FROM alert_digest_setting WHERE user_id = ${c.userId} FOR UPDATE`.execute(tx)).rows[0];
    if (!current || (current.last_run_at?.getTime() ?? null) !== (c.lastRunAt?.getTime() ?? null)) return undefined;
    let id: number | null = null;
    if (c.content) {
      id = (await tx.insertInto('alert_digest').values({ user_id: c.userId, language: c.language, content: JSON.stringify(c.content) }).returning('id').executeTakeFirstOrThrow()).id;
      for (const [n, png] of c.maps.entries()) await tx.insertInto('alert_digest_map').values({ digest_id: id, n, png }).execute();
      for (const d of c.deliveries) await tx.insertInto('alert_delivery').values({ digest_id: id, channel: d.channel, target: d.target }).execute();
    }
    for (const s of c.seen) {
      await tx
        .insertInto('alert_seen')
        .values({ subscription_id: s.subscriptionId, layer_id: s.layerId, keys: s.keys })
        .onConflict((oc) => oc.columns(['subscription_id', 'layer_id']).doUpdateSet({ keys: s.keys }))
        .execute();
    }
    await tx.updateTable('alert_digest_setting').set({ last_run_at: sql<Date>`now()` }).where('user_id', '=', c.userId).execute();
    return id;
  });
}

// Digests and deliveries

export async function listDigests(db: Kysely<Database>, userId: number, limit: number) {
  return db.selectFrom('alert_digest').select(['id', 'language', 'content', 'created_at']).where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
}

export async function findDigest(db: Kysely<Database>, id: number) {
  return db.selectFrom('alert_digest').select(['id', 'user_id', 'language', 'content', 'created_at']).where('id', '=', id).executeTakeFirst();
}

export async function digestMap(db: Kysely<Database>, digestId: number, n: number): Promise<Uint8Array | undefined> {
  return (await db.selectFrom('alert_digest_map').select('png').where('digest_id', '=', digestId).where('n', '=', n).executeTakeFirst())?.png;
}

export async function digestMaps(db: Kysely<Database>, digestId: number) {
  return db.selectFrom('alert_digest_map').select(['n', 'png']).where('digest_id', '=', digestId).orderBy('n').execute();
}

export async function pendingDeliveries(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('alert_delivery as d')
    .innerJoin('alert_digest as g', 'g.id', 'd.digest_id')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .leftJoin('alert_digest_setting as s', 's.user_id', 'g.user_id')
    .select(['d.digest_id', 'd.channel', 'd.target', 'd.attempts', 'g.content', 'g.language', 'g.created_at', 'u.name as user_name', 's.webhook_secret', 's.webhook_url'])
    .where('d.status', '=', 'pending')
    .orderBy('d.digest_id')
    .orderBy('d.channel')
    .limit(limit)
    .execute();
}

export async function recordDelivery(db: Kysely<Database>, digestId: number, channel: 'email' | 'webhook', outcome: { sent: true } | { sent: false; error: string; give_up: boolean }) {
  await db
    .updateTable('alert_delivery')
    .set(outcome.sent ? { status: 'sent', sent_at: sql<Date>`now()`, attempts: sql<number>`attempts + 1`, last_error: null } : { status: outcome.give_up ? 'failed' : 'pending', attempts: sql<number>`attempts + 1`, last_error: outcome.error.slice(0, 500) })
    .where('digest_id', '=', digestId)
    .where('channel', '=', channel)
    .execute();
}

/** The deliveries of several digests, in one query. */
export async function deliveriesOf(db: Kysely<Database>, digestIds: number[]) {
  if (digestIds.length === 0) return [];
  return db.selectFrom('alert_delivery').select(['digest_id', 'channel', 'target', 'status', 'attempts', 'last_error', 'sent_at']).where('digest_id', 'in', digestIds).orderBy('digest_id').orderBy('channel').execute();
}
