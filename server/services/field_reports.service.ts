// Field reports: checked and stored once per device UUID, their photos cleaned and filed, read by
// who may read them, reviewed by a supervisor of the report's agency. The rules:
// - a site visit is made for the site's activity's agency, by a member of it;
// - an alert report is made by any signed-in user for one of their agencies;
// - the public reads accepted reports only, without who made or reviewed them;
// - nobody accepts their own report.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { FieldReport, FieldReportInput, ReportReview } from '../api';
import { apiPaths } from '../api';
import { canActFor, requireRoleOf, type Actor, type UserActor } from '../auth/actor';
import { agencyOfSite } from '../db/repositories/agencies.repository';
import {
  alertReportCounts,
  findFieldPhoto,
  findFieldReport,
  insertFieldPhoto,
  insertFieldReport,
  listFieldReports,
  outlineProblem,
  photoCount,
  photosOfReports,
  setFieldReportReview,
  type FieldPhotoRow,
  type FieldReportRow,
  type ReportFilter,
  type ReportVisibility,
} from '../db/repositories/field_reports.repository';
import type { Database } from '../db/schema';
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import { alertValueAt } from '../alerts/alert_verification';
import { alertDay, dateOfDay } from '../alerts/alert_encoding';
import { rowAreasHa } from '../analysis/zonal/pixel_area';
import { cleanPhoto, PHOTO_LIMITS, PhotoRejected } from '../field/photo_image';
import type { PhotoStore } from '../field/photo_store';
import type { RasterStores } from './rasters.service';
import { resolveAlertLayer } from './alerts.service';

export interface FieldDeps {
  db: Kysely<Database>;
  rasters: RasterStores;
  photos: PhotoStore;
  accuracyLimitM: number;
}

/** A drawn outline larger than this is not a refinement of one alert (10,000 ha = 100 km²). */
export const MAX_OUTLINE_HA = 10_000;

export function visibilityOf(actor: Actor): ReportVisibility {
  if (actor.kind !== 'user') return { all: false, userId: null, agencies: [] };
  if (actor.role === 'admin') return { all: true };
  return { all: false, userId: actor.id, agencies: actor.agencies };
}

const canSeeAuthor = (actor: Actor, row: FieldReportRow) => actor.kind === 'user' && (actor.role === 'admin' || actor.id === row.user_id || actor.agencies.includes(row.agency_code));

function toPhoto(p: FieldPhotoRow): FieldReport['photos'][number] {
  return { id: p.id, url: apiPaths.fieldReportPhoto(p.report_id, p.id), content_type: p.content_type, bytes: p.bytes, width: p.width, height: p.height, taken_at: p.taken_at ? new Date(p.taken_at).toISOString() : null, lon: p.lon, lat: p.lat };
}

function toReport(row: FieldReportRow, photos: FieldPhotoRow[], actor: Actor): FieldReport {
  const personal = canSeeAuthor(actor, row);
  return {
    id: row.id,
    kind: row.kind,
    agency: row.agency_code,
    alert: row.alert_id ? { id: row.alert_id, layer: row.alert_layer!, date: dateOfDay(row.alert_day!), lon: row.alert_lon!, lat: row.alert_lat!, area_ha: row.alert_ha! } : null,
    result: row.result,
    cause: row.cause as FieldReport['cause'],
    outline: row.outline ? (JSON.parse(row.outline) as FieldReport['outline']) : null,
    outline_ha: row.outline_ha === null ? null : Math.round(row.outline_ha * 1e4) / 1e4,
    notes: row.notes,
    site: row.site_id !== null ? { id: row.site_id, name: row.site_name ?? '', activity_id: row.site_activity_id ?? 0 } : null,
    observations: row.observations,
    measurements: row.measurements,
    position: { lon: row.lon, lat: row.lat, accuracy_m: row.accuracy_m },
    observed_at: new Date(row.observed_at).toISOString(),
    received_at: new Date(row.received_at).toISOString(),
    photo_count: row.photo_count,
    author: personal ? row.author_name : null,
    review: { status: row.review_status, by: personal ? row.reviewer_name : null, at: row.reviewed_at ? new Date(row.reviewed_at).toISOString() : null, note: row.review_note },
    photos: photos.filter((p) => p.report_id === row.id).map(toPhoto),
  };
}

const contentHash = (input: FieldReportInput) => createHash('sha256').update(JSON.stringify(input)).digest('hex');

function agencyFor(user: UserActor, asked: string | undefined): string {
  const agency = asked ?? user.agencies[0];
  if (!agency) throw new ForbiddenError('You belong to no agency, and reports are made for one: ask an admin to add you to your agency.');
  if (!canActFor(user, agency)) throw new ForbiddenError(`You report for ${user.agencies.join(', ') || 'no agency'}, not ${agency}.`);
  return agency;
}

/** The alert a report names: its layer must exist and its pixel must hold an alert. */
async function resolveAlert(deps: FieldDeps, alertId: string) {
  const [layerName, c, r, d] = alertId.split(':') as [string, string, string, string];
  const layer = await resolveAlertLayer(deps.db, layerName);
  const store = await deps.rasters.get(layer.name);
  const col = Number(c), row = Number(r), day = Number(d);
  const m = store.meta;
  if (col >= m.width || row >= m.height) throw new BadRequestError(`alert: pixel ${col}, ${row} is outside layer ${layer.name} (${m.width} x ${m.height} pixels).`);
  const v = alertValueAt(store, col, row);
  if (v === 0) throw new BadRequestError(`alert: layer ${layer.name} has no alert at pixel ${col}, ${row}.`);
  if (alertDay(v) < day) throw new BadRequestError(`alert: the alert at pixel ${col}, ${row} is of ${dateOfDay(alertDay(v))}, not ${dateOfDay(day)}.`);
  const dy = m.pixelSizeY ?? m.pixelSize;
  return { id: alertId, layer: layer.name, col, row, day, ha: rowAreasHa(m, row, 1)[0]!, lon: m.west + (col + 0.5) * m.pixelSize, lat: m.north - (row + 0.5) * dy };
}

async function checkMeasurements(db: Kysely<Database>, siteId: number, measurements: { indicator_id: number }[]): Promise<void> {
  if (measurements.length === 0) return;
  const site = await db.selectFrom('site').select('activity_id').where('id', '=', siteId).executeTakeFirstOrThrow();
  const kinds = new Map((await db.selectFrom('indicator').select(['id', 'kind']).where('activity_id', '=', site.activity_id).execute()).map((i) => [i.id, i.kind]));
  const foreign = measurements.filter((m) => !kinds.has(m.indicator_id)).map((m) => m.indicator_id);
  if (foreign.length) throw new BadRequestError(`measurements: indicators ${foreign.join(', ')} are not indicators of this site's activity.`);
  const computed = measurements.filter((m) => kinds.get(m.indicator_id) !== 'manual').map((m) => m.indicator_id);
  if (computed.length) throw new BadRequestError(`measurements: indicators ${computed.join(', ')} are computed from the map's data, not measured in the field.`);
}

function checkTime(observedAt: string): void {
  const t = Date.parse(observedAt);
  if (t > Date.now() + 24 * 3600_000) throw new BadRequestError(`observed_at (${observedAt}) is in the future: check the device's clock.`);
  if (t < Date.parse('2015-01-01T00:00:00Z')) throw new BadRequestError(`observed_at (${observedAt}) is before 2015: check the device's clock.`);
}

/**
 * Stores a report once: a repeat of the same UUID with the same content answers the stored report
 * (created: false), the same UUID with other content or from another user is a conflict.
 */
export async function submitFieldReport(deps: FieldDeps, actor: Actor, input: FieldReportInput): Promise<{ report: FieldReport; created: boolean }> {
  const user = requireRoleOf(actor, 'editor');
  const hash = contentHash(input);
  const existing = await findFieldReport(deps.db, input.id);
  if (existing) return { report: await repeated(deps, user, existing, hash), created: false };
  if (input.position.accuracy_m > deps.accuracyLimitM)
    throw new BadRequestError(`The position is accurate to ${Math.round(input.position.accuracy_m)} m; reports need ${deps.accuracyLimitM} m or better. Wait for a better fix in the open and try again.`);
  checkTime(input.observed_at);
  let agency: string;
  let alert: Awaited<ReturnType<typeof resolveAlert>> | null = null;
  if (input.kind === 'visit') {
    const siteAgency = await agencyOfSite(deps.db, input.site_id);
    if (!canActFor(user, siteAgency)) throw new ForbiddenError(`Site ${input.site_id} belongs to an activity of ${siteAgency}; you report for ${user.agencies.join(', ') || 'no agency'}.`);
    if (input.agency && input.agency !== siteAgency) throw new BadRequestError(`agency: a visit to site ${input.site_id} is reported for its activity's agency, ${siteAgency}.`);
    agency = siteAgency;
    await checkMeasurements(deps.db, input.site_id, input.measurements);
  } else {
    agency = agencyFor(user, input.agency);
    alert = await resolveAlert(deps, input.alert);
    if (input.outline) {
      const problem = await outlineProblem(deps.db, JSON.stringify(input.outline));
      if (problem) throw new BadRequestError(`outline: not a valid polygon (${problem}); redraw it without crossing lines.`);
    }
  }
  const stored = await deps.db.transaction().execute(async (trx) => {
    const created = await insertFieldReport(trx, {
      id: input.id,
      kind: input.kind,
      userId: user.id,
      agency,
      alert,
      result: input.kind === 'alert' ? input.result : null,
      cause: input.kind === 'alert' ? (input.cause ?? null) : null,
      outline: input.kind === 'alert' && input.outline ? JSON.stringify(input.outline) : null,
      notes: input.kind === 'alert' ? input.notes : '',
      siteId: input.kind === 'visit' ? input.site_id : null,
      observations: input.kind === 'visit' ? input.observations : '',
      measurements: input.kind === 'visit' ? input.measurements : [],
      position: input.position,
      observedAt: input.observed_at,
      photoCount: input.photo_count,
      contentHash: hash,
    });
    const row = (await findFieldReport(trx, input.id))!;
    // Checked inside the transaction: an outline too large rolls the report back.
    if (row.outline_ha !== null && row.outline_ha > MAX_OUTLINE_HA) throw new BadRequestError(`outline: ${Math.round(row.outline_ha)} ha is larger than one alert's surroundings (at most ${MAX_OUTLINE_HA} ha); draw the cleared patch only.`);
    return { row, created };
  });
  if (!stored.created) return { report: await repeated(deps, user, stored.row, hash), created: false };
  return { report: toReport(stored.row, [], actor), created: true };
}

async function repeated(deps: FieldDeps, user: UserActor, row: FieldReportRow, hash: string): Promise<FieldReport> {
  if (row.user_id !== user.id || row.content_hash !== hash) throw new AppError('conflict', `A different report with id ${row.id} is stored: a new report needs a new UUID.`);
  return toReport(row, await photosOfReports(deps.db, [row.id]), user);
}

async function visibleReport(db: Kysely<Database>, actor: Actor, id: string): Promise<FieldReportRow> {
  const row = await findFieldReport(db, id, visibilityOf(actor));
  if (!row) throw new NotFoundError(`No field report ${id}.`);
  return row;
}

export async function fieldReport(db: Kysely<Database>, actor: Actor, id: string): Promise<FieldReport> {
  const row = await visibleReport(db, actor, id);
  return toReport(row, await photosOfReports(db, [id]), actor);
}

export async function fieldReports(db: Kysely<Database>, actor: Actor, filter: ReportFilter, page: { limit: number; offset: number }) {
  const { total, rows } = await listFieldReports(db, visibilityOf(actor), filter, page);
  const photos = await photosOfReports(db, rows.map((r) => r.id));
  return { total, reports: rows.map((r) => toReport(r, photos, actor)) };
}

/**
 * Adds a photo to one's own report: idempotent by the photo's UUID (a repeat answers the stored
 * photo), at most PHOTO_LIMITS.perReport, cleaned before it is filed; the file is written before
 * the row, and removed again when the row cannot be written.
 */
export async function addFieldPhoto(deps: FieldDeps, actor: Actor, reportId: string, photoId: string, body: Buffer, meta: { taken_at?: string | undefined; lon?: number | undefined; lat?: number | undefined }) {
  const user = requireRoleOf(actor, 'editor');
  const report = await findFieldReport(deps.db, reportId);
  if (!report || report.user_id !== user.id) throw new NotFoundError(`No field report ${reportId} of yours: send the report before its photos.`);
  const existing = await findFieldPhoto(deps.db, reportId, photoId);
  if (existing) return { photo: toPhoto(existing), created: false };
  if ((meta.lon === undefined) !== (meta.lat === undefined)) throw new BadRequestError('Give both lon and lat of where the photo was taken, or neither.');
  const count = await photoCount(deps.db, reportId);
  if (count >= PHOTO_LIMITS.perReport) throw new AppError('conflict', `Report ${reportId} has ${count} photos already; at most ${PHOTO_LIMITS.perReport}.`);
  let clean;
  try {
    clean = await cleanPhoto(body);
  } catch (e) {
    if (e instanceof PhotoRejected) throw new AppError(body.length > PHOTO_LIMITS.maxBytes ? 'payload_too_large' : 'unsupported_media_type', e.message);
    throw e;
  }
  await deps.photos.put(reportId, photoId, clean.bytes);
  const row = { id: photoId, report_id: reportId, content_type: clean.contentType, bytes: clean.bytes.length, width: clean.width, height: clean.height, sha256: createHash('sha256').update(clean.bytes).digest('hex'), taken_at: meta.taken_at ?? null, lon: meta.lon ?? null, lat: meta.lat ?? null };
  try {
    await insertFieldPhoto(deps.db, row);
  } catch (e) {
    // The same photo sent twice at once: the other request stored it (same bytes, same file name).
    const stored = await findFieldPhoto(deps.db, reportId, photoId);
    if (stored) return { photo: toPhoto(stored), created: false };
    await deps.photos.remove(reportId, photoId);
    throw e;
  }
  return { photo: toPhoto({ ...row, taken_at: row.taken_at ? new Date(row.taken_at) : null }), created: true };
}

/** A photo's bytes (JPEG, at most a few hundred kB) for a reader who may see its report. */
export async function fieldPhotoBytes(deps: FieldDeps, actor: Actor, reportId: string, photoId: string): Promise<Buffer> {
  await visibleReport(deps.db, actor, reportId);
  if (!(await findFieldPhoto(deps.db, reportId, photoId))) throw new NotFoundError(`No photo ${photoId} in report ${reportId}.`);
  return deps.photos.read(reportId, photoId);
}

/** A supervisor's decision: an editor of the report's agency (or an admin), never its author. */
export async function reviewFieldReport(db: Kysely<Database>, actor: Actor, id: string, review: ReportReview): Promise<FieldReport> {
  const user = requireRoleOf(actor, 'editor');
  const row = await visibleReport(db, actor, id);
  if (!canActFor(user, row.agency_code)) throw new ForbiddenError(`Report ${id} is reviewed by ${row.agency_code}'s editors; you act for ${user.agencies.join(', ') || 'no agency'}.`);
  if (row.user_id === user.id) throw new ForbiddenError('You made this report: another editor of your agency reviews it.');
  await setFieldReportReview(db, id, review.decision, user.id, review.note);
  return fieldReport(db, actor, id);
}

/** Each alert's status: the result of its latest accepted report, else unverified; with its report counts. */
export async function alertStatuses(db: Kysely<Database>, ids: string[]) {
  const counts = new Map((await alertReportCounts(db, ids)).map((c) => [c.alert_id, c]));
  return Object.fromEntries(
    ids.map((id) => {
      const c = counts.get(id);
      return [id, { status: c?.result ?? 'unverified', reports: c?.reports ?? 0, pending: c?.pending ?? 0, report: c?.report ?? null }];
    }),
  );
}
