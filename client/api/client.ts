// One typed fetch function per endpoint, validated with the shared zod contract.
import {
  apiPaths,
  areaKindSchema,
  contextLayerSchema,
  errorBodySchema,
  healthSchema,
  programmeSchema,
  siteCollectionSchema,
  type AreaKind,
  type ContextLayer,
  type Health,
  type Programme,
  type SiteCollection,
  activityLinkSchema,
  areaActivitiesSchema,
  type ActivityLink,
  type AreaActivities,
  rasterLayerSchema,
  type RasterLayer,
  indicatorListSchema,
  trendSchema,
  type Trend,
  lossAnswerSchema,
  type LossAnswerBody,
  activityDetailSchema,
  activityListSchema,
  programmeMatrixSchema,
  searchAnswerSchema,
  type ActivityDetail,
  type ActivityList,
  type ProgrammeMatrix,
  type SearchHit,
  clientConfigSchema,
  type ClientConfig,
  concessionReviewPageSchema,
  type ConcessionReviewPage,
} from '@atalaya/api';
import { z } from 'zod';

/** A non-2xx answer, carrying the server's error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The body of an answer, validated with `schema`; an ApiError with the server's code and message when not 2xx. */
export async function answerOf<T>(res: Response, schema?: z.ZodType<T>): Promise<T> {
  const body: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = errorBodySchema.safeParse(body);
    if (parsed.success) throw new ApiError(res.status, parsed.data.error.code, parsed.data.error.message);
    throw new ApiError(res.status, 'http_error', `${res.url} answered ${res.status}`);
  }
  return schema ? schema.parse(body) : (body as T);
}

async function getJson<S extends z.ZodTypeAny>(url: string, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  return answerOf(await fetch(url, { signal, headers: { Accept: 'application/json' } }), schema as z.ZodType<z.output<S>>);
}

export const fetchHealth = (signal?: AbortSignal): Promise<Health> => getJson(apiPaths.health, healthSchema, signal);

export const fetchProgramme = (signal?: AbortSignal): Promise<Programme> =>
  getJson(apiPaths.programme, programmeSchema, signal);

export const fetchAreaKinds = (signal?: AbortSignal): Promise<AreaKind[]> =>
  getJson(apiPaths.areaKinds, z.array(areaKindSchema), signal);

export const fetchContextLayers = (signal?: AbortSignal): Promise<ContextLayer[]> =>
  getJson(apiPaths.contextLayers, z.array(contextLayerSchema), signal);

export function fetchSites(params: { limit?: number }, signal?: AbortSignal): Promise<SiteCollection> {
  const q = new URLSearchParams({ limit: String(params.limit ?? 10000) });
  return getJson(`${apiPaths.sites}?${q}`, siteCollectionSchema, signal);
}

export const fetchAreaActivities = (areaId: number, signal?: AbortSignal): Promise<AreaActivities> =>
  getJson(apiPaths.areaActivities(areaId), areaActivitiesSchema, signal);

export const fetchActivityLinks = (activityId: number, signal?: AbortSignal): Promise<ActivityLink[]> =>
  getJson(apiPaths.activityLinks(activityId), z.array(activityLinkSchema), signal);

export const fetchRasterLayers = (signal?: AbortSignal): Promise<RasterLayer[]> =>
  getJson(apiPaths.rasters, z.array(rasterLayerSchema), signal);

/** A query string of the parameters that are set (none: ''). */
function queryOf(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Where the loss series of an area, a site's buffer or an activity's buffers is served, from `layer` (the default one when absent). */
export function lossUrl(subject: 'area' | 'site' | 'activity', id: number, format: 'json' | 'csv' = 'json', layer?: string): string {
  const path = subject === 'area' ? apiPaths.areaLoss(id) : subject === 'site' ? apiPaths.siteLoss(id) : apiPaths.activityLoss(id);
  return `${path}${queryOf({ layer, format: format === 'csv' ? 'csv' : undefined })}`;
}

export const fetchLoss = (subject: 'area' | 'site' | 'activity', id: number, layer: string | undefined, signal?: AbortSignal): Promise<LossAnswerBody> =>
  getJson(lossUrl(subject, id, 'json', layer), lossAnswerSchema, signal);

/** The printable sheet of a concession, in a language, with the figures of a loss layer. */
export const concessionSheetUrl = (id: number, lang: 'en' | 'es', layer?: string): string => `${apiPaths.concessionSheet(id)}${queryOf({ lang, layer })}`;

/** The programme progress report (printable page), its trends from a loss layer. */
export const reportUrl = (lang: 'en' | 'es', layer?: string, anchor?: string): string => `${apiPaths.reportPage}${queryOf({ lang, layer })}${anchor ? `#${anchor}` : ''}`;

export const fetchIndicators = (activityId: number, signal?: AbortSignal) => getJson(apiPaths.activityIndicators(activityId), indicatorListSchema, signal);

/** The trend near a site or an activity with its buffer and comparison ring, to draw them. */
export const fetchTrendWithZones = (subject: 'site' | 'activity', id: number, layer: string | undefined, signal?: AbortSignal): Promise<Trend> =>
  getJson(`${subject === 'site' ? apiPaths.siteTrend(id) : apiPaths.activityTrend(id)}${queryOf({ zones: 'true', layer })}`, trendSchema, signal);

/** One area as OGC API - Features serves it (its properties, for popups over low-zoom tiles). */
export const fetchAreaItem = (kind: string, id: number, signal?: AbortSignal) =>
  getJson(`/ogc/collections/${encodeURIComponent(kind)}/items/${id}`, z.object({ id: z.number(), properties: z.record(z.string(), z.unknown()) }), signal);

/** One site as OGC API - Features serves it (only sites of published activities). */
export const fetchSiteItem = (id: number, signal?: AbortSignal) =>
  getJson(`/ogc/collections/sites/items/${id}`, z.object({ id: z.number(), properties: z.record(z.string(), z.unknown()), geometry: z.unknown() }), signal);

export const fetchActivity = (id: number, signal?: AbortSignal): Promise<ActivityDetail> => getJson(apiPaths.activity(id), activityDetailSchema, signal);

/** Published activities matching the filter (the server's rules, the same as for the map). */
export function fetchActivities(query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<ActivityList> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  return getJson(`${apiPaths.activities}?${q}`, activityListSchema, signal);
}

export function fetchMatrix(query: { rows: 'priorityArea' | 'actionArea'; status?: string | undefined; goal?: string | undefined; fundingStatus?: string | undefined }, signal?: AbortSignal): Promise<ProgrammeMatrix> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  return getJson(`${apiPaths.matrix}?${q}`, programmeMatrixSchema, signal);
}

export async function search(text: string, signal?: AbortSignal): Promise<SearchHit[]> {
  const q = new URLSearchParams({ q: text, limit: '12' });
  return (await getJson(`${apiPaths.search}?${q}`, searchAnswerSchema, signal)).hits;
}

/** Loss of any drawn or uploaded geometry (lines and points analysed within `bufferM`). */
export async function analyseGeometry(geometry: GeoJSON.Geometry, bufferM: number | undefined, layers: { loss?: string | undefined; treecover?: string | undefined }, signal?: AbortSignal): Promise<LossAnswerBody> {
  const res = await fetch(apiPaths.analysisLoss, {
    method: 'POST',
    signal,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    // Without a tree cover layer the contract counts every pixel as forest, so the partner is sent too.
    body: JSON.stringify({ geometry, ...(bufferM ? { buffer_m: bufferM } : {}), ...(layers.loss ? { layer: layers.loss } : {}), ...(layers.treecover ? { treecover: layers.treecover } : {}) }),
  });
  return answerOf(res, lossAnswerSchema);
}

export const fetchAgencies = (signal?: AbortSignal) => getJson(apiPaths.agencies, z.array(z.object({ code: z.string(), name: z.string() })), signal);

export const fetchClientConfig = (signal?: AbortSignal): Promise<ClientConfig> => getJson(apiPaths.clientConfig, clientConfigSchema, signal);

/** One page of the concession review; `query` is the review's query string (the table builds it, the export links reuse it). */
export const fetchConcessionReview = (query: string, signal?: AbortSignal): Promise<ConcessionReviewPage> =>
  getJson(`${apiPaths.concessionReview}?${query}`, concessionReviewPageSchema, signal);

/** A TopoJSON topology as world-atlas ships it (the basemap's countries): checked for the parts the basemap reads. */
const topologySchema = z.looseObject({
  type: z.literal('Topology'),
  arcs: z.array(z.unknown()),
  objects: z.looseObject({ countries: z.looseObject({ type: z.string(), geometries: z.array(z.unknown()) }) }),
});

export const fetchTopology = (url: string, signal?: AbortSignal) => getJson(url, topologySchema, signal);

/** Where an export of areas, sites or activities is served (the API streams GeoJSON and CSV, builds GeoPackage and zipped Shapefile). */
export function exportUrl(query: { what: 'areas' | 'sites' | 'activities'; format: 'geojson' | 'csv' | 'gpkg' | 'shp'; ids?: readonly number[]; activityId?: number; kind?: string }): string {
  const q = new URLSearchParams({ what: query.what });
  if (query.kind) q.set('kind', query.kind);
  if (query.ids) q.set('ids', query.ids.join(','));
  if (query.activityId !== undefined) q.set('activity_id', String(query.activityId));
  q.set('format', query.format);
  return `${apiPaths.exports}?${q.toString().replace(/%2C/g, ',')}`;
}

/** A table endpoint's CSV form (links of an activity or area, the matrix): the same query with format=csv. */
export function csvUrl(path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  q.set('format', 'csv');
  return `${path}?${q}`;
}

export const EXPORT_FORMATS = [
  { format: 'geojson', label: 'GeoJSON' },
  { format: 'csv', label: 'CSV' },
  { format: 'gpkg', label: 'GeoPackage' },
  { format: 'shp', label: 'Shapefile' },
] as const;
