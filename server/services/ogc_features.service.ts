// OGC API - Features, Part 1 (Core, GeoJSON): a collection per area kind, plus sites and activities
// (published ones only), with bbox, limit/offset with next links, datetime on activity periods, and
// equality filters on properties. Responses are assembled from per-row GeoJSON made by PostGIS.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema';
import { BadRequestError, NotFoundError } from '../errors';

export const OGC_CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const OGC_MAX_LIMIT = 10_000;

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

async function collectionDefs(db: Kysely<Database>): Promise<CollectionDef[]> {
  const kinds = await db.selectFrom('area_kind').select(['code', 'label_en']).orderBy('code').execute();
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
  return [
    ...areas,
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

/** A feature source by name: an area kind, `areas` (every kind), `sites` or `activities`. */
export async function collection(db: Kysely<Database>, id: string): Promise<CollectionDef> {
  const c = (await collectionDefs(db)).find((d) => d.id === id);
  if (!c) throw new NotFoundError(`No collection "${id}". List them at /ogc/collections.`);
  return c;
}

function links(base: string, id: string) {
  return [
    { href: `${base}/ogc/collections/${id}`, rel: 'self', type: 'application/json', title: 'This collection' },
    { href: `${base}/ogc/collections/${id}/items`, rel: 'items', type: 'application/geo+json', title: 'Features' },
  ];
}

async function describe(db: Kysely<Database>, c: CollectionDef, base: string) {
  const ext = (await sql<{ xmin: number | null; ymin: number; xmax: number; ymax: number; t0: string | null; t1: string | null }>`
    SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax, t0, t1 FROM (
      SELECT ST_Extent(${c.geom}) AS e, ${c.period ? sql`min(${c.period.start})::text` : sql`NULL::text`} AS t0, ${c.period ? sql`max(${c.period.end})::text` : sql`NULL::text`} AS t1
      FROM ${c.from} WHERE ${c.where}) s`.execute(db)).rows[0];
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    itemType: 'feature',
    crs: [CRS84],
    extent: {
      spatial: { bbox: [ext?.xmin != null ? [ext.xmin, ext.ymin, ext.xmax, ext.ymax] : [-180, -90, 180, 90]], crs: CRS84 },
      ...(c.period ? { temporal: { interval: [[ext?.t0 ? `${ext.t0}T00:00:00Z` : null, ext?.t1 ? `${ext.t1}T23:59:59Z` : null]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
    },
    links: links(base, c.id),
  };
}

export function landingPage(base: string) {
  return {
    title: 'Atalaya: OGC API - Features',
    description: 'Areas (one collection per kind), sites and activities of the U.S.-Peru Environmental Cooperation Work Program, as read by QGIS, GDAL and other OGC API clients.',
    links: [
      { href: `${base}/ogc`, rel: 'self', type: 'application/json', title: 'This document' },
      { href: `${base}/api/openapi.json`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.1', title: 'The API definition' },
      { href: `${base}/api/docs`, rel: 'service-doc', type: 'text/html', title: 'The API documentation' },
      { href: `${base}/ogc/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance classes' },
      { href: `${base}/ogc/collections`, rel: 'data', type: 'application/json', title: 'Collections' },
    ],
  };
}

export async function listCollections(db: Kysely<Database>, base: string) {
  // `areas` (every kind at once) serves exports; the collections are one per kind.
  const defs = (await collectionDefs(db)).filter((d) => d.id !== 'areas');
  return { links: [{ href: `${base}/ogc/collections`, rel: 'self', type: 'application/json' }], collections: await Promise.all(defs.map((d) => describe(db, d, base))) };
}

export async function describeCollection(db: Kysely<Database>, id: string, base: string) {
  return describe(db, await collection(db, id), base);
}

const RESERVED = new Set(['bbox', 'limit', 'offset', 'datetime', 'f']);

export interface ItemsQuery {
  bbox?: readonly [number, number, number, number];
  limit: number;
  offset: number;
  datetime?: string;
  filters: Record<string, string>;
}

/** Parses the query string of /items; unknown parameters name the ones that exist. */
export function parseItemsQuery(query: Record<string, unknown>): ItemsQuery {
  const one = (k: string) => (Array.isArray(query[k]) ? String((query[k] as unknown[])[0]) : query[k] === undefined ? undefined : String(query[k]));
  const limit = one('limit') === undefined ? 100 : Number(one('limit'));
  const offset = one('offset') === undefined ? 0 : Number(one('offset'));
  if (!Number.isInteger(limit) || limit < 1 || limit > OGC_MAX_LIMIT) throw new BadRequestError(`limit must be a whole number from 1 to ${OGC_MAX_LIMIT}.`);
  if (!Number.isInteger(offset) || offset < 0) throw new BadRequestError('offset must be a whole number, 0 or more.');
  const f = one('f');
  if (f !== undefined && f !== 'json' && f !== 'geojson') throw new BadRequestError('f must be json (GeoJSON is the only encoding).');
  let bbox: ItemsQuery['bbox'];
  const b = one('bbox');
  if (b !== undefined) {
    const n = b.split(',').map(Number);
    if ((n.length !== 4 && n.length !== 6) || n.some((v) => !Number.isFinite(v))) throw new BadRequestError('bbox is minLon,minLat,maxLon,maxLat (CRS84).');
    const [x0, y0, x1, y1] = n.length === 6 ? [n[0]!, n[1]!, n[3]!, n[4]!] : [n[0]!, n[1]!, n[2]!, n[3]!];
    if (y0 > y1 || y0 < -90 || y1 > 90) throw new BadRequestError('bbox latitudes must lie within -90..90 with min <= max.');
    bbox = [x0, y0, x1, y1];
  }
  const filters: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (RESERVED.has(k)) continue;
    if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(k)) throw new BadRequestError(`Unknown query parameter "${k}".`);
    filters[k] = Array.isArray(v) ? String(v[0]) : String(v);
  }
  const datetime = one('datetime');
  return { ...(bbox ? { bbox } : {}), limit, offset, ...(datetime ? { datetime } : {}), filters };
}

function dateOf(v: string, what: string): string | null {
  if (v === '..' || v === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2})(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (!m) throw new BadRequestError(`datetime ${what} "${v}" is not an RFC 3339 date or date-time (or ..).`);
  return m[1]!;
}

export function whereOf(c: CollectionDef, q: ItemsQuery): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [c.where];
  if (q.bbox) {
    const [x0, y0, x1, y1] = q.bbox;
    // A bbox across the antimeridian (x0 > x1) is two boxes.
    const box = x0 <= x1 ? sql`ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326)` : sql`ST_Collect(ST_MakeEnvelope(${x0}, ${y0}, 180, ${y1}, 4326), ST_MakeEnvelope(-180, ${y0}, ${x1}, ${y1}, 4326))`;
    parts.push(sql`ST_Intersects(${c.geom}, ${box})`);
  }
  if (q.datetime && c.period) {
    const [a, b] = q.datetime.includes('/') ? q.datetime.split('/') : [q.datetime, q.datetime];
    const from = dateOf(a ?? '', 'start');
    const to = dateOf(b ?? '', 'end');
    // Features whose period [start, end] (an open end = still running) meets the asked interval.
    if (to) parts.push(sql`(${c.period.start} IS NULL OR ${c.period.start} <= ${to}::date)`);
    if (from) parts.push(sql`(${c.period.end} IS NULL OR ${c.period.end} >= ${from}::date)`);
  }
  for (const [k, v] of Object.entries(q.filters)) {
    const expr = c.filters[k];
    if (expr) parts.push(sql`${expr} = ${v}`);
    else if (c.attributes) parts.push(sql`${c.attributes} ->> ${k} = ${v}`);
    else throw new BadRequestError(`Unknown query parameter "${k}": ${c.id} filters on ${Object.keys(c.filters).join(', ')}.`);
  }
  return sql.join(parts, sql` AND `);
}

/** One page of items as GeoJSON text, with numberMatched and next/prev links. */
export async function items(db: Kysely<Database>, id: string, q: ItemsQuery, base: string, rawQuery: string): Promise<string> {
  const c = await collection(db, id);
  if (id === 'areas') throw new NotFoundError('No collection "areas": there is one per area kind, see /ogc/collections.');
  const where = whereOf(c, q);
  const [count, rows] = await Promise.all([
    sql<{ n: number }>`SELECT count(*)::int AS n FROM ${c.from} WHERE ${where}`.execute(db),
    sql<{ id: number; g: string | null; p: string }>`SELECT ${c.id_expr} AS id, ST_AsGeoJSON(${c.geom}, 7) AS g, (${c.properties})::text AS p
      FROM ${c.from} WHERE ${where} ORDER BY ${c.id_expr} LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
  ]);
  const matched = count.rows[0]?.n ?? 0;
  const page = (offset: number) => {
    const p = new URLSearchParams(rawQuery);
    p.set('offset', String(offset));
    p.set('limit', String(q.limit));
    return `${base}/ogc/collections/${id}/items?${p}`;
  };
  const linkList = [
    { href: page(q.offset), rel: 'self', type: 'application/geo+json' },
    { href: `${base}/ogc/collections/${id}`, rel: 'collection', type: 'application/json' },
    ...(q.offset + rows.rows.length < matched ? [{ href: page(q.offset + q.limit), rel: 'next', type: 'application/geo+json' }] : []),
    ...(q.offset > 0 ? [{ href: page(Math.max(0, q.offset - q.limit)), rel: 'prev', type: 'application/geo+json' }] : []),
  ];
  const features = rows.rows.map((r) => `{"type":"Feature","id":${r.id},"geometry":${r.g ?? 'null'},"properties":${r.p}}`);
  return `{"type":"FeatureCollection","numberMatched":${matched},"numberReturned":${rows.rows.length},"timeStamp":"${new Date().toISOString()}","links":${JSON.stringify(linkList)},"features":[${features.join(',')}]}`;
}

export async function item(db: Kysely<Database>, id: string, featureId: number, base: string): Promise<string> {
  const c = await collection(db, id);
  const r = (await sql<{ id: number; g: string | null; p: string }>`SELECT ${c.id_expr} AS id, ST_AsGeoJSON(${c.geom}, 7) AS g, (${c.properties})::text AS p
    FROM ${c.from} WHERE ${c.where} AND ${c.id_expr} = ${featureId}`.execute(db)).rows[0];
  if (!r) throw new NotFoundError(`No feature ${featureId} in ${id}.`);
  const linkList = [
    { href: `${base}/ogc/collections/${id}/items/${featureId}`, rel: 'self', type: 'application/geo+json' },
    { href: `${base}/ogc/collections/${id}`, rel: 'collection', type: 'application/json' },
  ];
  return `{"type":"Feature","id":${r.id},"geometry":${r.g ?? 'null'},"properties":${r.p},"links":${JSON.stringify(linkList)}}`;
}
