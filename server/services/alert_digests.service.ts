// Digests of new alerts: for each user whose digest is due, what each of their subscriptions has
// that was never reported to it (an alert is a pixel on a day; see alerts/seen_keys.ts), counted by
// the same pixel-centre rule and geodesic areas as every alert figure, with a map image per
// subscription and layer. The digest, the alerts it reports and its pending deliveries are committed
// in one transaction, so a run killed at any point and run again reports every alert exactly once
// per subscription (deliveries are at least once: see digest_delivery.service.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Digest } from '../api';
import { rasterLayersOfKind, type RasterLayerRow } from '../db/repositories/raster_layers.repository';
import { subjectGeometryWkbs } from '../db/repositories/loss_statistics.repository';
import { areasWithin, commitDigest, digestUsers, listSubscriptions, seenKeyBytes, sitesOfAgency, subjectNames, subscriptionPolygonWkb, type SubscriptionRow } from '../db/repositories/alert_subscriptions.repository';
import { CONFIDENCES, confidenceMask, dateOfDay, dayOf, today, type Confidence } from '../alerts/alert_encoding';
import { alertPixelsOfSpans, AlertWorkLimitError, type AlertFilter } from '../alerts/alert_zonal';
import type { BlockStore } from '../raster/block_store';
import { alertKey, dropDaysBefore, hasKey, keysFromBytes, keysToBytes, mergeKeys } from '../alerts/seen_keys';
import { polygonsBounds, renderStaticMap } from '../alerts/static_map';
import { rasterizeSpans } from '../analysis/zonal/scanline';
import { polygonsFromWkb, type FlatPolygon } from '../analysis/zonal/wkb';
import type { RasterStores } from './rasters.service';
import { ALERT_RULE } from './alerts.service';

/** Subjects one rule may expand to in a digest (every concession of a department is a few hundred). */
export const MAX_RULE_SUBJECTS = 2000;
/** Alert pixels one subject may bring into one digest before it is listed as too large. */
export const MAX_DIGEST_PIXELS = 200_000;
/** Subjects listed by name per subscription and layer; the rest are counted in `more`. */
const LISTED_SUBJECTS = 50;

export interface DigestDeps {
  db: Kysely<Database>;
  rasters: RasterStores;
  siteBufferM: number;
  /** Where links and images in digests point. */
  publicUrl: string;
  /** Whether e-mail can be sent (an SMTP URL is configured). */
  smtp: boolean;
}

interface Subject {
  subject: 'area' | 'site' | 'activity' | 'polygon';
  id: number;
  name: string;
  link: (lang: string, from: string, to: string) => string;
  polygons: FlatPolygon[];
}

type Due = Awaited<ReturnType<typeof digestUsers>>[number];

/** Daily digests come after 20 hours, weekly after six days and 20 hours: a run at the same hour each day never skips one. */
export function isDue(user: Pick<Due, 'frequency' | 'last_run_at'>, now: Date): boolean {
  if (user.frequency === 'off') return false;
  if (!user.last_run_at) return true;
  const hours = (now.getTime() - user.last_run_at.getTime()) / 3_600_000;
  return hours >= (user.frequency === 'daily' ? 20 : 6 * 24 + 20);
}

const appView = (base: string, sel: string) => (lang: string, from: string, to: string) => `${base}/?lang=${lang}&sel=${sel}&alerts=${from}..${to}&show=alerts`;

/** One area (its polygon), activity (its sites' buffers) or site (its buffer) as a digest subject; none if it has no zone. */
async function namedSubjects(deps: DigestDeps, subject: 'area' | 'activity' | 'site', id: number): Promise<Subject[]> {
  const named = await subjectNames(deps.db, subject, id);
  const wkb = (await subjectGeometryWkbs(deps.db, subject, [id], subject === 'area' ? 0 : deps.siteBufferM)).get(id);
  if (!named || !wkb) return [];
  const sel = subject === 'area' ? `area:${named.kind}:${id}` : `${subject}:${id}`;
  return [{ subject, id, name: named.name, link: appView(deps.publicUrl, sel), polygons: polygonsFromWkb(wkb) }];
}

/** The subjects a subscription follows today (a rule follows the data as it changes). */
async function subjectsOf(deps: DigestDeps, sub: SubscriptionRow): Promise<{ subjects: Subject[]; truncated: boolean }> {
  const { db } = deps;
  const base = deps.publicUrl;
  const view = (sel: string) => appView(base, sel);
  if (sub.kind === 'area' || sub.kind === 'activity') return { subjects: await namedSubjects(deps, sub.kind, (sub.kind === 'area' ? sub.area_id : sub.activity_id)!), truncated: false };
  if (sub.kind === 'polygon') {
    const wkb = await subscriptionPolygonWkb(db, sub.id);
    if (!wkb) return { subjects: [], truncated: false };
    const polygons = polygonsFromWkb(wkb);
    const [w, s, e, n] = polygonsBounds(polygons);
    const link = (lang: string, from: string, to: string) => `${base}/?lang=${lang}&map=12/${((s + n) / 2).toFixed(5)}/${((w + e) / 2).toFixed(5)}&alerts=${from}..${to}&show=alerts`;
    return { subjects: [{ subject: 'polygon', id: sub.id, name: sub.label, link, polygons }], truncated: false };
  }
  const rule = sub.rule as { type: 'areas_within'; area_kind: string; within_area_id: number } | { type: 'agency_sites'; agency: string };
  const rows = rule.type === 'areas_within' ? await areasWithin(db, rule.area_kind, rule.within_area_id, MAX_RULE_SUBJECTS) : (await sitesOfAgency(db, rule.agency, MAX_RULE_SUBJECTS)).map((r) => ({ ...r, kind: 'site' }));
  const truncated = rows.length > MAX_RULE_SUBJECTS;
  const kept = rows.slice(0, MAX_RULE_SUBJECTS);
  const subject = rule.type === 'areas_within' ? 'area' : 'site';
  const wkbs = await subjectGeometryWkbs(db, subject, kept.map((r) => r.id), subject === 'area' ? 0 : deps.siteBufferM);
  const subjects: Subject[] = [];
  for (const r of kept) {
    const wkb = wkbs.get(r.id);
    if (wkb) subjects.push({ subject, id: r.id, name: r.name, link: view(subject === 'area' ? `area:${r.kind}:${r.id}` : `site:${r.id}`), polygons: polygonsFromWkb(wkb) });
  }
  return { subjects, truncated };
}

const emptyByConfidence = () => ({ low: { px: 0, ha: 0 }, high: { px: 0, ha: 0 }, highest: { px: 0, ha: 0 } });
const round = (v: number) => Math.round(v * 10_000) / 10_000;

interface Built {
  content: Omit<Digest, 'id' | 'created_at'> | undefined;
  maps: Buffer[];
  seen: { subscriptionId: number; layerId: number; keys: Uint8Array }[];
}

type LayerEntry = Digest['subscriptions'][number]['layers'][number];

/**
 * The alerts of the subjects in one layer that pass the filter and are not in `before`: the digest's
 * entry for them (undefined when there are none), its map, and the keys now reported.
 */
function newAlertsOfLayer(store: BlockStore, layer: RasterLayerRow, subjects: Subject[], filter: AlertFilter, before: Float64Array, lang: 'en' | 'es', truncated: boolean): { entry: LayerEntry; map: Buffer; added: Iterable<number> } | undefined {
  const width = store.meta.width;
  const added = new Map<number, { conf: number; ha: number; day: number }>();
  const listed: LayerEntry['subjects'] = [];
  const skipped: LayerEntry['skipped'] = truncated ? [{ id: 0, name: '', reason: `only the first ${MAX_RULE_SUBJECTS} subjects of the rule are followed` }] : [];
  const withNew = new Map<string, Subject>();
  for (const subject of subjects) {
    let pixels;
    try {
      pixels = alertPixelsOfSpans(rasterizeSpans(subject.polygons, store.meta), store, filter, MAX_DIGEST_PIXELS);
    } catch (e) {
      if (!(e instanceof AlertWorkLimitError)) throw e;
      skipped.push({ id: subject.id, name: subject.name, reason: e.message });
      continue;
    }
    let px = 0, ha = 0;
    for (const p of pixels) {
      const key = alertKey(p.col, p.row, width, p.day);
      if (hasKey(before, key)) continue;
      px++;
      ha += p.ha;
      if (!added.has(key)) added.set(key, { conf: p.confidence, ha: p.ha, day: p.day });
    }
    if (px) {
      listed.push({ subject: subject.subject, id: subject.id, name: subject.name, px, ha: round(ha), link: '' });
      withNew.set(`${subject.subject}:${subject.id}`, subject);
    }
  }
  if (added.size === 0) return undefined;
  // Each alert counted once, though two subjects of a rule (overlapping site buffers) both list it.
  const byConfidence = emptyByConfidence();
  let px = 0, ha = 0, first = Infinity, last = 0;
  for (const a of added.values()) {
    const c = byConfidence[CONFIDENCES[a.conf - 1]!];
    c.px++;
    c.ha += a.ha;
    px++;
    ha += a.ha;
    first = Math.min(first, a.day);
    last = Math.max(last, a.day);
  }
  for (const c of Object.values(byConfidence)) c.ha = round(c.ha);
  const from = dateOfDay(first), to = dateOfDay(last);
  listed.sort((a, b) => b.px - a.px || a.id - b.id);
  for (const l of listed) l.link = withNew.get(`${l.subject}:${l.id}`)!.link(lang, from, to);
  const shown = listed.slice(0, LISTED_SUBJECTS);
  const map = renderStaticMap(store, shown.flatMap((l) => withNew.get(`${l.subject}:${l.id}`)!.polygons), { fromDay: first, toDay: last, confidenceMask: filter.confidenceMask });
  const entry: LayerEntry = { layer: layer.name, synthetic: layer.properties.synthetic === true, px, ha: round(ha), by_confidence: byConfidence, first_date: from, last_date: to, subjects: shown, more: listed.length - shown.length, skipped, map: null };
  return { entry, map, added: added.keys() };
}

/** What is new for one user's subscriptions (reads only; nothing is written). */
export async function buildDigest(deps: DigestDeps, user: { id: number; language: 'en' | 'es' }, now: Date): Promise<Built> {
  const layers = await rasterLayersOfKind(deps.db, 'alert');
  const subs = await listSubscriptions(deps.db, user.id);
  const out: Digest['subscriptions'] = [];
  const maps: Buffer[] = [];
  const seen: Built['seen'] = [];
  const toDay = today(now.getTime());
  for (const sub of subs) {
    const chosen: RasterLayerRow[] = sub.layer ? layers.filter((l) => l.name === sub.layer) : layers;
    if (chosen.length === 0) continue;
    const { subjects, truncated } = await subjectsOf(deps, sub);
    const entry: Digest['subscriptions'][number] = { id: sub.id, label: sub.label, kind: sub.kind, layers: [] };
    for (const layer of chosen) {
      const confidence = (sub.confidence.length ? sub.confidence : [...CONFIDENCES]) as Confidence[];
      const filter = { fromDay: Math.max(1, dayOf(sub.since)), toDay, confidenceMask: confidenceMask(confidence) };
      const before = keysFromBytes(await seenKeyBytes(deps.db, sub.id, layer.id));
      const found = newAlertsOfLayer(await deps.rasters.get(layer.name), layer, subjects, filter, before, user.language, truncated);
      if (!found) continue;
      maps.push(found.map);
      entry.layers.push({ ...found.entry, map: String(maps.length - 1) });
      seen.push({ subscriptionId: sub.id, layerId: layer.id, keys: keysToBytes(mergeKeys(dropDaysBefore(before, filter.fromDay), found.added)) });
    }
    if (entry.layers.length) out.push(entry);
  }
  if (out.length === 0) return { content: undefined, maps: [], seen };
  return { content: summed(user.language, out), maps, seen };
}

function summed(language: 'en' | 'es', subscriptions: Digest['subscriptions']): Omit<Digest, 'id' | 'created_at'> {
  const layers = subscriptions.flatMap((s) => s.layers);
  return { language, total_px: layers.reduce((a, l) => a + l.px, 0), total_ha: round(layers.reduce((a, l) => a + l.ha, 0)), subscriptions, rule: ALERT_RULE };
}

/**
 * What a digest for one area, activity or site would say about the alerts of its last `days` days:
 * the same content, counts and maps as a real digest (no account needed; nothing is stored), so the
 * public and a first start see what a subscription brings.
 */
export async function previewDigest(deps: DigestDeps, subject: 'area' | 'activity' | 'site', id: number, days: number, lang: 'en' | 'es', now = new Date()) {
  const subjects = await namedSubjects(deps, subject, id);
  if (subjects.length === 0) return undefined;
  const layers = await rasterLayersOfKind(deps.db, 'alert');
  const toDay = today(now.getTime());
  const filter = { fromDay: Math.max(1, toDay - days + 1), toDay, confidenceMask: confidenceMask([...CONFIDENCES]) };
  const entry: Digest['subscriptions'][number] = { id: 0, label: subjects[0]!.name, kind: subject, layers: [] };
  const maps: Buffer[] = [];
  for (const layer of layers) {
    const found = newAlertsOfLayer(await deps.rasters.get(layer.name), layer, subjects, filter, new Float64Array(0), lang, false);
    if (!found) continue;
    maps.push(found.map);
    entry.layers.push({ ...found.entry, map: String(maps.length - 1) });
  }
  return { content: summed(lang, entry.layers.length ? [entry] : []), maps, label: entry.label };
}

export interface DigestRunResult {
  /** Users whose digest was due and computed. */
  users: number;
  /** Digests made (users with something new). */
  digests: number[];
}

/**
 * Makes the digests that are due (all of them with `force`), each committed with the alerts it
 * reports. Delivering them is deliverPendingDigests' work, run after.
 */
export async function makeDueDigests(deps: DigestDeps, options: { now?: Date; force?: boolean; userIds?: number[]; onUser?: (userId: number) => void } = {}): Promise<DigestRunResult> {
  const now = options.now ?? new Date();
  const users = (await digestUsers(deps.db, options.userIds)).filter((u) => options.force || isDue(u, now));
  const digests: number[] = [];
  for (const user of users) {
    options.onUser?.(user.id);
    const built = await buildDigest(deps, { id: user.id, language: user.language }, now);
    const deliveries: { channel: 'email' | 'webhook'; target: string }[] = [];
    if (built.content && user.send_email && deps.smtp) deliveries.push({ channel: 'email', target: user.email });
    if (built.content && user.webhook_url) deliveries.push({ channel: 'webhook', target: user.webhook_url });
    const id = await commitDigest(deps.db, { userId: user.id, language: user.language, lastRunAt: user.last_run_at, ...(built.content ? { content: built.content } : {}), maps: built.maps, deliveries, seen: built.seen });
    if (typeof id === 'number') digests.push(id);
  }
  return { users: users.length, digests };
}
