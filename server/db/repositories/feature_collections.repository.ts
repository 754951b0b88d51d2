// The public feature sources (an area kind, `areas`, published `sites` and `activities`) as SQL
// fragments, and the queries OGC API - Features and the exports run on them. Every feature reads
// as (id, GeoJSON or WKT or WKB geometry, properties as jsonb text), so callers assemble the
// document without parsing each row.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema';
import { BadRequestError } from '../../errors';
import { asGeoJson } from '../postgis';
import { contextCollectionId } from '../../api/context';

export interface CollectionDef {
  id: string;
  title: string;
  description: string;
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  geom: RawBuilder<unknown>;
  id_expr: RawBuilder<unknown>;
  properties: RawBuilder<unknown>;
  /** Filterable properties: query parameter -> SQL expression compared as text. */
  filters: Record<string, RawBuilder<unknown>>;
  /** Open attributes (jsonb) any other simple parameter filters on, or null. */
  attributes: RawBuilder<unknown> | null;
  /** Start and end of the feature's period, for datetime. */
  period: { start: RawBuilder<unknown>; end: RawBuilder<unknown> } | null;
}

/** Features of a collection that meet every condition (already checked against the collection). */
export interface FeatureSelection {
  c: CollectionDef;
  where: RawBuilder<unknown>;
}

export interface SelectionFilter {
  bbox?: readonly [number, number, number, number];
  /** Features whose period meets [from, to] (dates, either open). */
  period?: { from: string | null; to: string | null };
  /** Property equality: a named filter of the collection, else an open attribute. */
  properties?: Record<string, string>;
  ids?: readonly number[];
}

/** Every collection: one per area kind, `areas` (every kind), one per context layer, `sites` and `activities`. */
export async function collectionDefs(db: Kysely<Database>): Promise<CollectionDef[]> {
  const [kinds, context, vectorAlerts] = await Promise.all([
    db.selectFrom('area_kind').select(['code', 'label_en']).orderBy('code').execute(),
    db.selectFrom('context_layer').select(['code', 'label_en', 'source', 'licence']).orderBy('code').execute(),
    db.selectFrom('vector_alert_layer').select(['name', 'attribution', 'licence']).orderBy('name').execute(),
  ]);
  const areas: CollectionDef[] = [...kinds, { code: null, label_en: 'Areas of every kind' }].map((k) => ({
    id: k.code ?? 'areas',
    title: k.label_en,
    description: k.code ? `Areas of kind ${k.code} (${k.label_en}), with their imported attributes.` : 'Areas of every kind.',
    from: sql`area a`,
    where: k.code ? sql`a.kind = ${k.code}` : sql`true`,
    geom: sql`a.geom`,
    id_expr: sql`a.id`,
    properties: sql`jsonb_build_object('name', a.name, 'kind', a.kind, 'source_id', a.source_id, 'area_ha', round(a.area_ha::numeric, 2)) || (a.properties - 'name' - 'kind')`,
    filters: { name: sql`a.name`, source_id: sql`a.source_id` },
    attributes: sql`a.properties`,
    period: null,
  }));
  const contextLayers: CollectionDef[] = context.map((l) => ({
    id: contextCollectionId(l.code),
    title: l.label_en,
    description: `Context points from ${l.source} (${l.licence}): shown beside the programme, never counted as its activities.`,
    from: sql`context_point cp`,
    where: sql`cp.layer = ${l.code}`,
    geom: sql`cp.geom`,
    id_expr: sql`cp.id`,
    properties: sql`jsonb_build_object('name', cp.name, 'source_id', cp.source_id) || cp.properties`,
    filters: { name: sql`cp.name`, source_id: sql`cp.source_id` },
    attributes: sql`cp.properties`,
    period: null,
  }));
  // Alerts published as points or polygons (GeoBosques): filter by datetime on the alert date.
  const alertLayers: CollectionDef[] = vectorAlerts.map((l) => ({
    id: `alerts_${l.name}`,
    title: `Alerts: ${l.name}`,
    description: `Deforestation alerts from ${l.attribution} (${l.licence}), one feature per alert with its date and district (ubigeo).`,
    from: sql`vector_alert va`,
    where: sql`va.layer = ${l.name}`,
    geom: sql`va.geom`,
    id_expr: sql`va.id`,
    properties: sql`jsonb_build_object('alert_date', va.alert_date, 'ubigeo', va.ubigeo, 'area_ha', round(va.area_ha::numeric, 4), 'source_id', va.source_id)`,
    filters: { ubigeo: sql`va.ubigeo`, source_id: sql`va.source_id` },
    attributes: null,
    period: { start: sql`va.alert_date`, end: sql`va.alert_date` },
  }));
  return [
    ...areas,
    ...contextLayers,
    ...alertLayers,
    {
      id: 'sites',
      title: 'Sites',
      description: 'Where the published activities work: points, lines and polygons, with their activity.',
      from: sql`site s JOIN activity t ON t.id = s.activity_id`,
      where: sql`t.published`,
      geom: sql`s.geom`,
      id_expr: sql`s.id`,
      properties: sql`jsonb_build_object('name', s.name, 'kind', s.kind, 'activity_id', t.id, 'activity_code', t.code, 'priority_area', t.priority_area_code, 'status', t.status, 'lead_agency', t.lead_agency, 'start_date', t.start_date, 'end_date', t.end_date) || (s.properties - 'name' - 'kind')`,
      filters: { name: sql`s.name`, kind: sql`s.kind`, activity_code: sql`t.code`, activity_id: sql`t.id::text`, priority_area: sql`t.priority_area_code`, status: sql`t.status`, lead_agency: sql`t.lead_agency` },
      attributes: sql`s.properties`,
      period: { start: sql`t.start_date`, end: sql`t.end_date` },
    },
    {
      id: 'field_reports',
      title: 'Field reports (accepted)',
      description: 'Alerts verified and sites visited on the ground, accepted by a supervisor of the reporting agency: where the report was made, its result, cause or observations, and links to its photos (without who made it).',
      from: sql`field_report r LEFT JOIN site rs ON rs.id = r.site_id`,
      where: sql`r.review_status = 'accepted'`,
      geom: sql`r.geom`,
      id_expr: sql`r.n`,
      properties: sql`jsonb_build_object('report_id', r.id, 'kind', r.kind, 'agency', r.agency_code, 'alert_id', r.alert_id, 'alert_layer', r.alert_layer, 'result', r.result, 'cause', r.cause,
        'outline_ha', round(r.outline_ha::numeric, 4), 'notes', r.notes, 'site_id', r.site_id, 'site_name', rs.name, 'observations', r.observations, 'measurements', r.measurements,
        'accuracy_m', r.accuracy_m, 'observed_at', r.observed_at, 'reviewed_at', r.reviewed_at,
        'photos', (SELECT coalesce(jsonb_agg('/api/field-reports/' || p.report_id || '/photos/' || p.id ORDER BY p.received_at, p.id), '[]'::jsonb) FROM field_photo p WHERE p.report_id = r.id))`,
      filters: { kind: sql`r.kind`, agency: sql`r.agency_code`, result: sql`r.result`, cause: sql`r.cause`, alert_id: sql`r.alert_id`, site_id: sql`r.site_id::text` },
      attributes: null,
      period: { start: sql`r.observed_at::date`, end: sql`r.observed_at::date` },
    },
    {
      id: 'activities',
      title: 'Activities',
      description: 'Published activities of the Work Program; the geometry collects their sites.',
      from: sql`activity t LEFT JOIN LATERAL (SELECT ST_Collect(geom ORDER BY id) AS g FROM site WHERE activity_id = t.id) sg ON true`,
      where: sql`t.published`,
      geom: sql`sg.g`,
      id_expr: sql`t.id`,
      properties: sql`jsonb_build_object('code', t.code, 'title', t.title, 'summary', t.summary, 'priority_area', t.priority_area_code, 'status', t.status, 'funding_status', t.funding_status,
        'lead_agency', t.lead_agency, 'start_date', t.start_date, 'end_date', t.end_date,
        'goals', (SELECT string_agg(goal_code, ',' ORDER BY goal_code) FROM activity_goal WHERE activity_id = t.id),
        'action_areas', (SELECT string_agg(action_area_code, ',' ORDER BY action_area_code) FROM activity_action_area WHERE activity_id = t.id))`,
      filters: { code: sql`t.code`, priority_area: sql`t.priority_area_code`, status: sql`t.status`, funding_status: sql`t.funding_status`, lead_agency: sql`t.lead_agency` },
      attributes: null,
      period: { start: sql`t.start_date`, end: sql`t.end_date` },
    },
  ];
}

export async function findCollection(db: Kysely<Database>, id: string): Promise<CollectionDef | undefined> {
  return (await collectionDefs(db)).find((d) => d.id === id);
}

/** The conditions of `filter` on collection `c`; an unknown property names the ones that exist. */
export function selectFeatures(c: CollectionDef, filter: SelectionFilter): FeatureSelection {
  const parts: RawBuilder<unknown>[] = [c.where];
  if (filter.bbox) {
    const [x0, y0, x1, y1] = filter.bbox;
    // A bbox across the antimeridian (x0 > x1) is two boxes.
    const box = x0 <= x1 ? sql`ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326)` : sql`ST_Collect(ST_MakeEnvelope(${x0}, ${y0}, 180, ${y1}, 4326), ST_MakeEnvelope(-180, ${y0}, ${x1}, ${y1}, 4326))`;
    parts.push(sql`ST_Intersects(${c.geom}, ${box})`);
  }
  if (filter.period && c.period) {
    const { from, to } = filter.period;
    // Features whose period [start, end] (an open end = still running) meets the asked interval.
    if (to) parts.push(sql`(${c.period.start} IS NULL OR ${c.period.start} <= ${to}::date)`);
    if (from) parts.push(sql`(${c.period.end} IS NULL OR ${c.period.end} >= ${from}::date)`);
  }
  for (const [k, v] of Object.entries(filter.properties ?? {})) {
    const expr = c.filters[k];
    if (expr) parts.push(sql`${expr} = ${v}`);
    else if (c.attributes) parts.push(sql`${c.attributes} ->> ${k} = ${v}`);
    else throw new BadRequestError(`Unknown query parameter "${k}": ${c.id} filters on ${Object.keys(c.filters).join(', ')}.`);
  }
  if (filter.ids) parts.push(sql`${c.id_expr} = ANY(${filter.ids}::int[])`);
  return { c, where: sql.join(parts, sql` AND `) };
}

export interface CollectionExtent {
  bbox: [number, number, number, number] | null;
  /** First start and last end date of the features' periods (ISO dates), where the collection has periods. */
  first: string | null;
  last: string | null;
}

export async function collectionExtent(db: Kysely<Database>, c: CollectionDef): Promise<CollectionExtent> {
  const r = (await sql<{ xmin: number | null; ymin: number; xmax: number; ymax: number; t0: string | null; t1: string | null }>`
    SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax, t0, t1 FROM (
      SELECT ST_Extent(${c.geom}) AS e, ${c.period ? sql`min(${c.period.start})::text` : sql`NULL::text`} AS t0, ${c.period ? sql`max(${c.period.end})::text` : sql`NULL::text`} AS t1
      FROM ${c.from} WHERE ${c.where}) s`.execute(db)).rows[0];
  return { bbox: r?.xmin != null ? [r.xmin, r.ymin, r.xmax, r.ymax] : null, first: r?.t0 ?? null, last: r?.t1 ?? null };
}

export async function countFeatures(db: Kysely<Database>, s: FeatureSelection): Promise<number> {
  return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${s.c.from} WHERE ${s.where}`.execute(db)).rows[0]?.n ?? 0;
}

/** Runs the selection's conditions once without reading rows: a bad filter value fails here. */
export async function checkSelection(db: Kysely<Database>, s: FeatureSelection): Promise<void> {
  await sql`SELECT 1 FROM ${s.c.from} WHERE ${s.where} LIMIT 1`.execute(db);
}

export interface FeatureText {
  id: number;
  /** GeoJSON geometry text, or null. */
  g: string | null;
  /** Properties as JSON object text. */
  p: string;
}

const OGC_DECIMALS = 7;

export async function featurePage(db: Kysely<Database>, s: FeatureSelection, limit: number, offset: number): Promise<FeatureText[]> {
  const { c, where } = s;
  return (await sql<FeatureText>`SELECT ${c.id_expr} AS id, ${asGeoJson(c.geom, OGC_DECIMALS)} AS g, (${c.properties})::text AS p
    FROM ${c.from} WHERE ${where} ORDER BY ${c.id_expr} LIMIT ${limit} OFFSET ${offset}`.execute(db)).rows;
}

export async function featureById(db: Kysely<Database>, c: CollectionDef, id: number): Promise<FeatureText | undefined> {
  return (await sql<FeatureText>`SELECT ${c.id_expr} AS id, ${asGeoJson(c.geom, OGC_DECIMALS)} AS g, (${c.properties})::text AS p
    FROM ${c.from} WHERE ${c.where} AND ${c.id_expr} = ${id}`.execute(db)).rows[0];
}

/** The property names the selected features carry, sorted: a CSV's header before its rows. */
export async function propertyKeys(db: Kysely<Database>, s: FeatureSelection): Promise<string[]> {
  return (await sql<{ k: string }>`SELECT DISTINCT jsonb_object_keys(${s.c.properties}) AS k FROM ${s.c.from} WHERE ${s.where} ORDER BY 1`.execute(db)).rows.map((r) => r.k);
}

/** The one geometry encoding each export format needs: GeoJSON (GeoJSON, Shapefile), WKT (CSV), WKB + bbox (GeoPackage). */
export type GeometryEncoding = 'geojson' | 'wkt' | 'wkb';

export interface EncodedFeature {
  id: number;
  p: string;
  g: string | null;
  wkt: string | null;
  wkb: Uint8Array | null;
  xmin: number | null;
  ymin: number | null;
  xmax: number | null;
  ymax: number | null;
}

const BATCH = 2000;

/** The selected features in id order, `BATCH` at a time (keyset paging, so any size streams). */
export async function* featureBatches(db: Kysely<Database>, s: FeatureSelection, encoding: GeometryEncoding): AsyncGenerator<EncodedFeature[]> {
  const { c, where } = s;
  let last = -1;
  const wkb = encoding === 'wkb';
  for (;;) {
    const rows = (
      await sql<EncodedFeature>`SELECT ${c.id_expr} AS id, (${c.properties})::text AS p,
          ${encoding === 'geojson' ? asGeoJson(c.geom, OGC_DECIMALS) : sql`NULL::text`} AS g,
          ${encoding === 'wkt' ? sql`ST_AsText(${c.geom}, ${sql.lit(OGC_DECIMALS)})` : sql`NULL::text`} AS wkt,
          ${wkb ? sql`ST_AsBinary(${c.geom}, 'NDR')` : sql`NULL::bytea`} AS wkb,
          ${wkb ? sql`ST_XMin(${c.geom})` : sql`NULL::float8`} AS xmin, ${wkb ? sql`ST_YMin(${c.geom})` : sql`NULL::float8`} AS ymin,
          ${wkb ? sql`ST_XMax(${c.geom})` : sql`NULL::float8`} AS xmax, ${wkb ? sql`ST_YMax(${c.geom})` : sql`NULL::float8`} AS ymax
        FROM ${c.from} WHERE ${where} AND ${c.id_expr} > ${last} ORDER BY ${c.id_expr} LIMIT ${BATCH}`.execute(db)
    ).rows;
    if (rows.length === 0) return;
    yield rows;
    last = rows.at(-1)!.id;
    if (rows.length < BATCH) return;
  }
}
