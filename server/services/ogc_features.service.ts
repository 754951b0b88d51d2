// OGC API - Features, Part 1 (Core, GeoJSON): a collection per area kind, plus sites and activities
// (published ones only), with bbox, limit/offset with next links, datetime on activity periods, and
// equality filters on properties. Responses are assembled from per-row GeoJSON made by PostGIS.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { BadRequestError, NotFoundError } from '../errors';
import { collectionDefs, collectionExtent, countFeatures, featureById, featurePage, findCollection, selectFeatures, type CollectionDef, type SelectionFilter } from '../db/repositories/feature_collections.repository';
import { featureCollectionText, featureText } from './geojson_text';

export const OGC_CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const OGC_MAX_LIMIT = 10_000;

/** A feature source by name: an area kind, `areas` (every kind), `sites` or `activities`. */
export async function collection(db: Kysely<Database>, id: string): Promise<CollectionDef> {
  const c = await findCollection(db, id);
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
  const ext = await collectionExtent(db, c);
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    itemType: 'feature',
    crs: [CRS84],
    extent: {
      spatial: { bbox: [ext.bbox ?? [-180, -90, 180, 90]], crs: CRS84 },
      ...(c.period ? { temporal: { interval: [[ext.first ? `${ext.first}T00:00:00Z` : null, ext.last ? `${ext.last}T23:59:59Z` : null]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
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

/** The items query as a selection filter (datetime read as a period of dates). */
export function itemsFilter(q: ItemsQuery): SelectionFilter {
  const filter: SelectionFilter = { properties: q.filters };
  if (q.bbox) filter.bbox = q.bbox;
  if (q.datetime) {
    const [a, b] = q.datetime.includes('/') ? q.datetime.split('/') : [q.datetime, q.datetime];
    filter.period = { from: dateOf(a ?? '', 'start'), to: dateOf(b ?? '', 'end') };
  }
  return filter;
}

/** One page of items as GeoJSON text, with numberMatched and next/prev links. */
export async function items(db: Kysely<Database>, id: string, q: ItemsQuery, base: string, rawQuery: string): Promise<string> {
  const c = await collection(db, id);
  if (id === 'areas') throw new NotFoundError('No collection "areas": there is one per area kind, see /ogc/collections.');
  const selection = selectFeatures(c, itemsFilter(q));
  const [matched, rows] = await Promise.all([countFeatures(db, selection), featurePage(db, selection, q.limit, q.offset)]);
  const page = (offset: number) => {
    const p = new URLSearchParams(rawQuery);
    p.set('offset', String(offset));
    p.set('limit', String(q.limit));
    return `${base}/ogc/collections/${id}/items?${p}`;
  };
  const linkList = [
    { href: page(q.offset), rel: 'self', type: 'application/geo+json' },
    { href: `${base}/ogc/collections/${id}`, rel: 'collection', type: 'application/json' },
    ...(q.offset + rows.length < matched ? [{ href: page(q.offset + q.limit), rel: 'next', type: 'application/geo+json' }] : []),
    ...(q.offset > 0 ? [{ href: page(Math.max(0, q.offset - q.limit)), rel: 'prev', type: 'application/geo+json' }] : []),
  ];
  const features = rows.map((r) => featureText(r.id, r.g, r.p));
  return featureCollectionText(features, { numberMatched: matched, numberReturned: rows.length, timeStamp: new Date().toISOString(), links: linkList });
}

export async function item(db: Kysely<Database>, id: string, featureId: number, base: string): Promise<string> {
  const c = await collection(db, id);
  const r = await featureById(db, c, featureId);
  if (!r) throw new NotFoundError(`No feature ${featureId} in ${id}.`);
  const linkList = [
    { href: `${base}/ogc/collections/${id}/items/${featureId}`, rel: 'self', type: 'application/geo+json' },
    { href: `${base}/ogc/collections/${id}`, rel: 'collection', type: 'application/json' },
  ];
  return featureText(r.id, r.g, r.p, { links: linkList });
}
