// Table types for kysely. Row types stay in db/; the API contract lives in server/api.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;
/** Geometry columns are written as EWKT/EWKB expressions and read through ST_AsGeoJSON. */
type Geometry = ColumnType<string, string, string>;
type Json = JSONColumnType<Record<string, unknown>, string, string>;

export interface ProgrammeGoalTable {
  code: string;
  title_en: string;
  title_es: string;
}

export interface PriorityAreaTable {
  code: string;
  title_en: string;
  title_es: string;
}

export interface ObjectiveTable {
  id: Generated<number>;
  priority_area_code: string;
  number: number;
  text_en: string;
  text_es: string;
}

export interface ActionAreaTable {
  code: string;
  priority_area_code: string;
  title_en: string;
  title_es: string;
}

export interface ActivityTable {
  id: Generated<number>;
  code: string;
  title: string;
  summary: string;
  /** Spanish title and summary; null where not translated. */
  title_es: ColumnType<string | null, string | null | undefined, string | null>;
  summary_es: ColumnType<string | null, string | null | undefined, string | null>;
  priority_area_code: string;
  lead_agency: string;
  implementing_partners: JSONColumnType<string[], string, string>;
  funding_status: string;
  start_date: DateOnly | null;
  end_date: DateOnly | null;
  status: string;
  published: ColumnType<boolean, boolean | undefined, boolean>;
  properties: Json;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ActivityActionAreaTable {
  activity_id: number;
  action_area_code: string;
}

export interface ActivityGoalTable {
  activity_id: number;
  goal_code: string;
}

export interface SiteTable {
  id: Generated<number>;
  activity_id: number;
  source_id: string | null;
  name: string;
  kind: string;
  geom: Geometry;
  properties: Json;
  import_source_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AreaKindTable {
  code: string;
  label_en: string;
  label_es: string;
  link_distance_m: ColumnType<number, number | undefined, number>;
}

export interface ImportSourceTable {
  id: Generated<number>;
  file_name: string;
  content_hash: string;
  layer: string | null;
  licence: string | null;
  source: string | null;
  target: string;
  format: ColumnType<string | null, string | null | undefined, string | null>;
  srid: ColumnType<number | null, number | null | undefined, number | null>;
  report: Json;
  imported_at: Generated<Date>;
}

/** The `area` view: the rows of area_row that are visible (imported by no run, or by a published one). */
export interface AreaTable {
  id: Generated<number>;
  kind: string;
  source_id: string;
  name: string;
  properties: Json;
  geom: Geometry;
  area_ha: number;
  import_source_id: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RasterLayerTable {
  id: Generated<number>;
  name: string;
  kind: string;
  version: string | null;
  files: JSONColumnType<string[], string, string>;
  width: number;
  height: number;
  pixel_size_deg: number;
  extent: Geometry;
  properties: Json;
  created_at: Generated<Date>;
}

export interface LinkTable {
  id: Generated<number>;
  site_id: number;
  area_id: number;
  relation: string;
  overlap_ha: number | null;
  share_of_site: number | null;
  distance_m: number | null;
  computed_at: Generated<Date>;
}

export interface IndicatorTable {
  id: Generated<number>;
  activity_id: number;
  name: string;
  unit: string;
  /** Spanish name and unit; null where not translated. */
  name_es: ColumnType<string | null, string | null | undefined, string | null>;
  unit_es: ColumnType<string | null, string | null | undefined, string | null>;
  direction: string;
  kind: string;
  definition: Json;
  baseline_value: number | null;
  baseline_year: number | null;
  target_value: number | null;
  target_year: number | null;
  published: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Generated<Date>;
  input_hash: ColumnType<string | null, string | null | undefined, string | null>;
  computed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Generated<Date>;
}

export interface MeasurementTable {
  id: Generated<number>;
  indicator_id: number;
  measured_at: DateOnly;
  value: number;
  source: string | null;
  note: string | null;
  created_at: Generated<Date>;
  origin: ColumnType<'manual' | 'computed', 'manual' | 'computed' | undefined, 'manual' | 'computed'>;
  published: ColumnType<boolean, boolean | undefined, boolean>;
  inputs: ColumnType<unknown, string | null | undefined, string | null>;
  superseded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface CountryBoundaryTable {
  iso3: string;
  name: string;
  source: string;
  geom: Geometry;
}

export interface LossStatisticTable {
  id: Generated<number>;
  subject: 'area' | 'site' | 'activity';
  subject_id: number;
  buffer_m: number;
  loss_layer_id: number;
  treecover_layer_id: number;
  threshold: number;
  input_hash: string;
  raster_stamp: string;
  pixels: ColumnType<number, number, number>;
  covered_pixels: ColumnType<number, number, number>;
  area_ha: number;
  covered_area_ha: number;
  forest_pixels: ColumnType<number, number, number>;
  forest2000_ha: number;
  years: JSONColumnType<{ year: number; loss_ha: number; loss_px: number }[], string, string>;
  rule: string;
  computed_at: Generated<Date>;
}

export interface SourceFetchTable {
  source_id: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  bytes: ColumnType<number | null, number | null | undefined, number | null>;
  features: number | null;
  status: 'ok' | 'not_modified' | 'failed';
  message: string | null;
  fetched_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ContextLayerTable {
  code: string;
  label_en: string;
  label_es: string;
  source: string;
  licence: string;
  sha256: string;
  loaded_at: Timestamp;
}

export interface ContextPointTable {
  id: Generated<number>;
  layer: string;
  source_id: string;
  name: string;
  properties: Json;
  geom: Geometry;
}

export interface AlertStatisticTable {
  subject: 'area' | 'site' | 'activity';
  subject_id: number;
  layer_id: number;
  buffer_m: number;
  input_hash: string;
  layer_stamp: string;
  pixels: ColumnType<number, number, number>;
  covered_pixels: ColumnType<number, number, number>;
  area_ha: number;
  covered_ha: number;
  block_x0: number | null;
  block_y0: number | null;
  block_x1: number | null;
  block_y1: number | null;
  /** [day, low px, high px, highest px, low ha, high ha, highest ha] per day with alerts. */
  days: JSONColumnType<number[][], string, string>;
  computed_at: Timestamp;
}

export interface VectorAlertLayerTable {
  name: string;
  source: string;
  attribution: string;
  licence: string;
  file_name: string;
  sha256: string;
  loaded_at: Timestamp;
}

export interface VectorAlertTable {
  id: Generated<number>;
  layer: string;
  source_id: string;
  alert_date: DateOnly;
  ubigeo: string | null;
  area_ha: number | null;
  properties: Json;
  geom: Geometry;
}

export interface AlertDigestSettingTable {
  user_id: number;
  frequency: ColumnType<'daily' | 'weekly' | 'off', 'daily' | 'weekly' | 'off' | undefined, 'daily' | 'weekly' | 'off'>;
  language: ColumnType<'en' | 'es', 'en' | 'es' | undefined, 'en' | 'es'>;
  email: ColumnType<boolean, boolean | undefined, boolean>;
  feed_token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  webhook_url: ColumnType<string | null, string | null | undefined, string | null>;
  webhook_secret: ColumnType<string | null, string | null | undefined, string | null>;
  last_run_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  updated_at: Generated<Date>;
}

export interface AlertSubscriptionTable {
  id: Generated<number>;
  user_id: number;
  kind: 'area' | 'activity' | 'polygon' | 'rule';
  area_id: number | null;
  activity_id: number | null;
  geom: Geometry | null;
  rule: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  label: string;
  layer: string | null;
  confidence: ColumnType<string[], string[] | undefined, string[]>;
  since: DateOnly;
  created_at: Generated<Date>;
}

export interface AlertSeenTable {
  subscription_id: number;
  layer_id: number;
  keys: Uint8Array;
}

export interface AlertDigestTable {
  id: Generated<number>;
  user_id: number;
  language: 'en' | 'es';
  content: JSONColumnType<Record<string, unknown>, string, string>;
  created_at: Generated<Date>;
}

export interface AlertDigestMapTable {
  digest_id: number;
  n: number;
  png: Uint8Array;
}

export interface AreaPackageTable {
  id: Generated<number>;
  user_id: number;
  subject: 'area' | 'activity' | 'site' | 'box';
  subject_id: number | null;
  name: string;
  min_zoom: number;
  max_zoom: number;
  bounds: number[];
  status: ColumnType<'building' | 'ready' | 'failed', 'building' | 'ready' | 'failed' | undefined, 'building' | 'ready' | 'failed'>;
  job_id: number | null;
  tiles: number | null;
  bytes: ColumnType<number | null, number | null | undefined, number | null>;
  sha256: string | null;
  message: string | null;
  created_at: Generated<Date>;
  built_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface FieldReportTable {
  id: string;
  n: Generated<number>;
  kind: 'alert' | 'visit';
  user_id: number | null;
  agency_code: string;
  alert_id: string | null;
  alert_layer: string | null;
  alert_col: number | null;
  alert_row: number | null;
  alert_day: number | null;
  alert_ha: number | null;
  alert_point: unknown;
  result: 'confirmed' | 'false_positive' | null;
  cause: string | null;
  outline: unknown;
  outline_ha: number | null;
  notes: string;
  site_id: number | null;
  observations: string;
  measurements: ColumnType<unknown, string, string>;
  geom: unknown;
  accuracy_m: number;
  observed_at: ColumnType<Date, string, string>;
  received_at: Generated<Date>;
  photo_count: number;
  content_hash: string;
  review_status: ColumnType<'pending' | 'accepted' | 'rejected', 'pending' | undefined, 'pending' | 'accepted' | 'rejected'>;
  reviewed_by: number | null;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  review_note: string | null;
}

export interface FieldPhotoTable {
  id: string;
  report_id: string;
  content_type: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  taken_at: ColumnType<Date | null, string | null | undefined, string | null>;
  lon: number | null;
  lat: number | null;
  received_at: Generated<Date>;
}

export interface AlertDeliveryTable {
  digest_id: number;
  channel: 'email' | 'webhook';
  target: string;
  status: ColumnType<'pending' | 'sent' | 'failed', 'pending' | 'sent' | 'failed' | undefined, 'pending' | 'sent' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  params: Json;
  status: ColumnType<'queued' | 'running' | 'done' | 'failed', 'queued' | 'running' | 'done' | 'failed' | undefined, 'queued' | 'running' | 'done' | 'failed'>;
  done: ColumnType<number, number | undefined, number>;
  total: ColumnType<number, number | undefined, number>;
  message: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  dedupe_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface JobPartTable {
  id: Generated<number>;
  job_id: number;
  n: number;
  params: Json;
  status: ColumnType<'queued' | 'running' | 'done' | 'failed', 'queued' | 'running' | 'done' | 'failed' | undefined, 'queued' | 'running' | 'done' | 'failed'>;
  done: ColumnType<number, number | undefined, number>;
  total: ColumnType<number, number | undefined, number>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  attempts: ColumnType<number, number | undefined, number>;
  worker: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface RateLimitTable {
  key: string;
  hits: number;
  reset_at: ColumnType<Date, Date | string, Date | string>;
}

export interface ConcessionReviewTable {
  id: Generated<number>;
  area_id: number;
  reviewed: ColumnType<boolean, boolean | undefined, boolean>;
  supervision_status: string;
  note: ColumnType<string, string | undefined, string>;
  author: string;
  created_at: Generated<Date>;
}

export interface AreaTileGeomTable {
  area_id: number;
  band: number;
  geom: Geometry;
}

export interface TileLayerVersionTable {
  layer: string;
  version: ColumnType<number, number | undefined, number>;
  changed_at: Generated<Date>;
}

export interface AgencyTable {
  code: string;
  name: string;
}

export interface AppUserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: 'editor' | 'admin';
  password_hash: string;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface UserAgencyTable {
  user_id: number;
  agency_code: string;
}

export interface UserSessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: Generated<Date>;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  actor_user_id: number | null;
  actor: string;
  request_id: string | null;
  action: 'insert' | 'update' | 'delete' | 'recompute';
  table_name: string;
  object_id: string;
  before: ColumnType<unknown, string | null | undefined, string | null>;
  after: ColumnType<unknown, string | null | undefined, string | null>;
}

/**
 * Imports, by the process that runs them: staged rows and an area import's new rows belong to a run;
 * an area run with rows is kept once published (its areas are visible through it, see the `area` view).
 */
export interface ImportRunTable {
  id: string;
  host: string;
  pid: number;
  kind: string | null;
  started_at: ColumnType<Date, never, never>;
  published_at: ColumnType<Date | null, never, Date | null>;
  import_source_id: ColumnType<number | null, never, number | null>;
  settled_at: ColumnType<Date | null, never, Date | null>;
}

export interface Database {
  import_run: ImportRunTable;
  agency: AgencyTable;
  app_user: AppUserTable;
  user_agency: UserAgencyTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  area_tile_geom: AreaTileGeomTable;
  tile_layer_version: TileLayerVersionTable;
  concession_review: ConcessionReviewTable;
  loss_statistic: LossStatisticTable;
  job: JobTable;
  job_part: JobPartTable;
  rate_limit: RateLimitTable;
  source_fetch: SourceFetchTable;
  context_layer: ContextLayerTable;
  context_point: ContextPointTable;
  alert_statistic: AlertStatisticTable;
  vector_alert_layer: VectorAlertLayerTable;
  vector_alert: VectorAlertTable;
  alert_digest_setting: AlertDigestSettingTable;
  alert_subscription: AlertSubscriptionTable;
  alert_seen: AlertSeenTable;
  alert_digest: AlertDigestTable;
  alert_digest_map: AlertDigestMapTable;
  alert_delivery: AlertDeliveryTable;
  area_package: AreaPackageTable;
  field_report: FieldReportTable;
  field_photo: FieldPhotoTable;
  country_boundary: CountryBoundaryTable;
  programme_goal: ProgrammeGoalTable;
  priority_area: PriorityAreaTable;
  objective: ObjectiveTable;
  action_area: ActionAreaTable;
  activity: ActivityTable;
  activity_action_area: ActivityActionAreaTable;
  activity_goal: ActivityGoalTable;
  site: SiteTable;
  area_kind: AreaKindTable;
  import_source: ImportSourceTable;
  area: AreaTable;
  raster_layer: RasterLayerTable;
  link: LinkTable;
  indicator: IndicatorTable;
  measurement: MeasurementTable;
}
