// Field reports and their photos: rows in, rows out (geometries as GeoJSON text), the review, and
// what the statistics need (the latest accepted report on each alert).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema';

export interface FieldReportRow {
  id: string;
  kind: 'alert' | 'visit';
  user_id: number | null;
  author_name: string | null;
  agency_code: string;
  alert_id: string | null;
  alert_layer: string | null;
  alert_day: number | null;
  alert_ha: number | null;
  alert_lon: number | null;
  alert_lat: number | null;
  result: 'confirmed' | 'false_positive' | null;
  cause: string | null;
  outline: string | null;
  outline_ha: number | null;
  notes: string;
  site_id: number | null;
  site_name: string | null;
  site_activity_id: number | null;
  observations: string;
  measurements: { indicator_id: number; value: number }[];
  lon: number;
  lat: number;
  accuracy_m: number;
  observed_at: Date;
  received_at: Date;
  photo_count: number;
  content_hash: string;
  review_status: 'pending' | 'accepted' | 'rejected';
  reviewer_name: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
}

export interface NewFieldReport {
  id: string;
  kind: 'alert' | 'visit';
  userId: number;
  agency: string;
  alert: { id: string; layer: string; col: number; row: number; day: number; ha: number; lon: number; lat: number } | null;
  result: 'confirmed' | 'false_positive' | null;
  cause: string | null;
  outline: string | null;
  notes: string;
  siteId: number | null;
  observations: string;
  measurements: { indicator_id: number; value: number }[];
  position: { lon: number; lat: number; accuracy_m: number };
  observedAt: string;
  photoCount: number;
  contentHash: string;
}

/** Who may read which reports: everything (admin), accepted + own + the agencies' (editor), accepted only (public). */
export type ReportVisibility = { all: true } | { all: false; userId: number | null; agencies: string[] };

const SELECT_REPORT = sql`SELECT r.id::text AS id, r.kind, r.user_id, u.name AS author_name, r.agency_code, r.alert_id, r.alert_layer, r.alert_day, r.alert_ha,
    ST_X(r.alert_point) AS alert_lon, ST_Y(r.alert_point) AS alert_lat, r.result, r.cause, ST_AsGeoJSON(r.outline, 7) AS outline, r.outline_ha, r.notes,
    r.site_id, s.name AS site_name, s.activity_id AS site_activity_id, r.observations, r.measurements, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.accuracy_m,
    r.observed_at, r.received_at, r.photo_count, r.content_hash, r.review_status, rv.name AS reviewer_name, r.reviewed_at, r.review_note
  FROM field_report r LEFT JOIN app_user u ON u.id = r.user_id LEFT JOIN app_user rv ON rv.id = r.reviewed_by LEFT JOIN site s ON s.id = r.site_id`;

function visibleWhere(v: ReportVisibility): RawBuilder<unknown> {
  if (v.all) return sql`true`;
  if (v.userId === null) return sql`r.review_status = 'accepted'`;
  return sql`(r.review_status = 'accepted' OR r.user_id = ${v.userId} OR r.agency_code = ANY(${v.agencies}::text[]))`;
}

/** The report, whoever made it; with `v`, only when that reader may see it. */
export async function findFieldReport(db: Kysely<Database>, id: string, v: ReportVisibility = { all: true }): Promise<FieldReportRow | undefined> {
  return (await sql<FieldReportRow>`${SELECT_REPORT} WHERE r.id = ${id}::uuid AND ${visibleWhere(v)}`.execute(db)).rows[0];
}

export interface ReportFilter {
  status?: 'pending' | 'accepted' | 'rejected' | undefined;
  kind?: 'alert' | 'visit' | undefined;
  alert?: string | undefined;
  siteId?: number | undefined;
}

function filterWhere(v: ReportVisibility, f: ReportFilter): RawBuilder<unknown> {
  const parts = [visibleWhere(v)];
  if (f.status) parts.push(sql`r.review_status = ${f.status}`);
  if (f.kind) parts.push(sql`r.kind = ${f.kind}`);
  if (f.alert) parts.push(sql`r.alert_id = ${f.alert}`);
  if (f.siteId) parts.push(sql`r.site_id = ${f.siteId}`);
  return sql.join(parts, sql` AND `);
}

export async function listFieldReports(db: Kysely<Database>, v: ReportVisibility, f: ReportFilter, page: { limit: number; offset: number }): Promise<{ total: number; rows: FieldReportRow[] }> {
  const where = filterWhere(v, f);
  const [count, rows] = await Promise.all([
    sql<{ n: string }>`SELECT count(*) AS n FROM field_report r WHERE ${where}`.execute(db),
    sql<FieldReportRow>`${SELECT_REPORT} WHERE ${where} ORDER BY r.observed_at DESC, r.id LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db),
  ]);
  return { total: Number(count.rows[0]!.n), rows: rows.rows };
}

/** Inserts the report unless its UUID is stored (a concurrent repeat): true when this call stored it. */
export async function insertFieldReport(db: Kysely<Database>, r: NewFieldReport): Promise<boolean> {
  const outline = r.outline === null ? sql`NULL::geometry` : sql`ST_GeomFromGeoJSON(${r.outline}::text)`;
  const result = await sql`INSERT INTO field_report (id, kind, user_id, agency_code, alert_id, alert_layer, alert_col, alert_row, alert_day, alert_ha, alert_point,
      result, cause, outline, outline_ha, notes, site_id, observations, measurements, geom, accuracy_m, observed_at, photo_count, content_hash)
    SELECT ${r.id}::uuid, ${r.kind}::text, ${r.userId}::integer, ${r.agency}::text, ${r.alert?.id ?? null}::text, ${r.alert?.layer ?? null}::text, ${r.alert?.col ?? null}::integer, ${r.alert?.row ?? null}::integer,
      ${r.alert?.day ?? null}::integer, ${r.alert?.ha ?? null}::double precision, ${r.alert ? sql`ST_SetSRID(ST_MakePoint(${r.alert.lon}, ${r.alert.lat}), 4326)` : sql`NULL::geometry`},
      ${r.result}::text, ${r.cause}::text, o, CASE WHEN o IS NULL THEN NULL ELSE ST_Area(o::geography, true) / 10000.0 END, ${r.notes}::text, ${r.siteId}::integer, ${r.observations}::text,
      ${JSON.stringify(r.measurements)}::jsonb, ST_SetSRID(ST_MakePoint(${r.position.lon}, ${r.position.lat}), 4326), ${r.position.accuracy_m}::double precision, ${r.observedAt}::timestamptz,
      ${r.photoCount}::integer, ${r.contentHash}::text
    FROM (SELECT ST_SetSRID(${outline}, 4326) AS o) g
    ON CONFLICT (id) DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** Is the drawn outline a valid polygon (the reason when not)? Checked before it is stored. */
export async function outlineProblem(db: Kysely<Database>, geojson: string): Promise<string | null> {
  const r = (await sql<{ valid: boolean; reason: string }>`SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_GeomFromGeoJSON(${geojson}) AS g) q`.execute(db)).rows[0]!;
  return r.valid ? null : r.reason;
}

export async function setFieldReportReview(db: Kysely<Database>, id: string, status: 'accepted' | 'rejected', reviewerId: number, note: string): Promise<void> {
  await db.updateTable('field_report').set({ review_status: status, reviewed_by: reviewerId, reviewed_at: new Date(), review_note: note }).where('id', '=', id).execute();
}

export interface FieldPhotoRow {
  id: string;
  report_id: string;
  content_type: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  taken_at: Date | null;
  lon: number | null;
  lat: number | null;
}

export async function photosOfReports(db: Kysely<Database>, reportIds: string[]): Promise<FieldPhotoRow[]> {
  if (reportIds.length === 0) return [];
  return (
    await sql<FieldPhotoRow>`SELECT id::text AS id, report_id::text AS report_id, content_type, bytes, width, height, sha256, taken_at, lon, lat
      FROM field_photo WHERE report_id = ANY(${reportIds}::uuid[]) ORDER BY received_at, id`.execute(db)
  ).rows;
}

export async function findFieldPhoto(db: Kysely<Database>, reportId: string, photoId: string): Promise<FieldPhotoRow | undefined> {
  return (await photosOfReports(db, [reportId])).find((p) => p.id === photoId);
}

export async function insertFieldPhoto(db: Kysely<Database>, p: Omit<FieldPhotoRow, 'taken_at'> & { taken_at: string | null }): Promise<void> {
  await sql`INSERT INTO field_photo (id, report_id, content_type, bytes, width, height, sha256, taken_at, lon, lat)
    VALUES (${p.id}::uuid, ${p.report_id}::uuid, ${p.content_type}, ${p.bytes}, ${p.width}, ${p.height}, ${p.sha256}, ${p.taken_at}::timestamptz, ${p.lon}, ${p.lat})`.execute(db);
}

export async function photoCount(db: Kysely<Database>, reportId: string): Promise<number> {
  return Number((await sql<{ n: string }>`SELECT count(*) AS n FROM field_photo WHERE report_id = ${reportId}::uuid`.execute(db)).rows[0]!.n);
}

export interface AlertReportCounts {
  alert_id: string;
  reports: number;
  pending: number;
  /** The latest accepted report (by review time): its result and id. */
  result: 'confirmed' | 'false_positive' | null;
  report: string | null;
}

export async function alertReportCounts(db: Kysely<Database>, alertIds: string[]): Promise<AlertReportCounts[]> {
  if (alertIds.length === 0) return [];
  return (
    await sql<AlertReportCounts>`SELECT a.alert_id, count(*)::int AS reports, count(*) FILTER (WHERE a.review_status = 'pending')::int AS pending,
        (array_agg(a.result ORDER BY a.reviewed_at DESC, a.id) FILTER (WHERE a.review_status = 'accepted'))[1] AS result,
        (array_agg(a.id::text ORDER BY a.reviewed_at DESC, a.id) FILTER (WHERE a.review_status = 'accepted'))[1] AS report
      FROM field_report a WHERE a.alert_id = ANY(${alertIds}::text[]) GROUP BY a.alert_id`.execute(db)
  ).rows;
}

export interface AcceptedAlertCheck {
  alert_id: string;
  col: number;
  row: number;
  result: 'confirmed' | 'false_positive';
  outline: string | null;
}

/** On each alert of a layer, its latest accepted report (what the statistics count as its status), in review order. */
export async function acceptedAlertChecks(db: Kysely<Database>, layer: string): Promise<AcceptedAlertCheck[]> {
  return (
    await sql<AcceptedAlertCheck>`SELECT alert_id, col, row, result, outline FROM (
        SELECT DISTINCT ON (alert_id) alert_id, alert_col AS col, alert_row AS row, result, ST_AsGeoJSON(outline, 7) AS outline, reviewed_at, id
        FROM field_report WHERE alert_layer = ${layer} AND review_status = 'accepted' ORDER BY alert_id, reviewed_at DESC, id) latest
      ORDER BY reviewed_at, id`.execute(db)
  ).rows;
}

/** Reports on a subject's zone (an area's polygon): accepted alert results and pending reports, for reviews. */
export async function fieldReportsInAreas(db: Kysely<Database>, areaIds: number[]): Promise<{ area_id: number; accepted: number; pending: number; confirmed: number; false_positive: number }[]> {
  if (areaIds.length === 0) return [];
  return (
    await sql<{ area_id: number; accepted: number; pending: number; confirmed: number; false_positive: number }>`SELECT a.id AS area_id,
        count(*) FILTER (WHERE r.review_status = 'accepted')::int AS accepted, count(*) FILTER (WHERE r.review_status = 'pending')::int AS pending,
        count(*) FILTER (WHERE r.review_status = 'accepted' AND r.result = 'confirmed')::int AS confirmed,
        count(*) FILTER (WHERE r.review_status = 'accepted' AND r.result = 'false_positive')::int AS false_positive
      FROM area a JOIN field_report r ON r.kind = 'alert' AND a.geom && r.alert_point AND ST_Intersects(a.geom, r.alert_point)
      WHERE a.id = ANY(${areaIds}::int[]) GROUP BY a.id`.execute(db)
  ).rows;
}

/** When a report was last reviewed (with how many are accepted): caches of verified figures key on it. */
export async function lastReviewStamp(db: Kysely<Database>): Promise<string> {
  const r = (await sql<{ at: Date | null; n: string }>`SELECT max(reviewed_at) AS at, count(*) FILTER (WHERE review_status = 'accepted') AS n FROM field_report`.execute(db)).rows[0]!;
  return `${r.at ? new Date(r.at).toISOString() : '-'}:${r.n}`;
}
