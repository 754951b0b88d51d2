// Alert layers and their exact statistics: registering a source's files as a normalised alert layer,
// listing them, and counting the alerts of a drawn polygon, an area, a site's buffer or an
// activity's sites by day, ISO week or month, per confidence, with the layer and rule they came from.
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { AlertAnswer, AlertLayer } from '../api';
import type { Database } from '../db/schema';
import { AppError, BadRequestError, NotFoundError } from '../errors';
import { findRasterLayer, rasterLayersOfKind, upsertRasterLayer, type RasterLayerRow } from '../db/repositories/raster_layers.repository';
import { subjectExists, subjectGeometryWkb, type StatSubject } from '../db/repositories/loss_statistics.repository';
import { AlertInputError, ingestAlerts } from '../alerts/alert_ingest';
import { CONFIDENCES, confidenceMask, dateOfDay, dayOf, today, type AlertSource, type Confidence } from '../alerts/alert_encoding';
import { alertPixelsOfSpans, alertsOfSpans, AlertWorkLimitError, prefetchSpans, type AlertZonal } from '../alerts/alert_zonal';
import { storedAlertZonal } from './alert_statistics.service';
import { alertTotals, type AlertPeriod } from '../alerts/alert_series';
import { alertVerification } from './alert_verification.service';
import { rasterizeSpans, type Spans } from '../analysis/zonal/scanline';
import type { BlockStore } from '../raster/block_store';
import { polygonsFromGeoJson, polygonsFromWkb } from '../analysis/zonal/wkb';
import type { RasterStores } from './rasters.service';
import type { GeometryPool } from '../geometry/geometry_pool';
import type { GeometryLimits } from '../geometry/limits';
import { prepareForAnalysis } from './user_geometry.service';

/** Who publishes each source, under which licence: the defaults a layer carries unless told otherwise. */
export const ALERT_SOURCE_ABOUT: Record<AlertSource, { attribution: string; licence: string }> = {
  'gfw-integrated': { attribution: 'Global Forest Watch integrated deforestation alerts (GLAD-L, GLAD-S2, RADD)', licence: 'CC BY 4.0' },
  'glad-l': { attribution: 'UMD/GLAD, GLAD-L Landsat alerts (Hansen et al. 2016)', licence: 'CC BY 4.0' },
  radd: { attribution: 'Wageningen University, RADD Sentinel-1 alerts (Reiche et al. 2021)', licence: 'CC BY 4.0' },
};

export const ALERT_RULE = 'pixel centre inside the polygon (GDAL rasterize default); geodesic pixel areas (WGS84 ellipsoid); one alert per pixel, on its day and confidence';

export interface RegisterAlertInput {
  files: string[];
  source: AlertSource;
  name: string;
  version?: string | undefined;
  year?: number | undefined;
  dataDir: string;
  /** Demo alerts say so wherever they are shown. */
  synthetic?: boolean;
  /** False only for the synthetic demo alerts, which sit on the demo raster's grid. */
  onTileGrid?: boolean;
  attribution?: string;
  licence?: string;
  now?: number;
  onProgress?: (p: { read: number; total: number; features: number }) => void;
}

export async function registerAlertLayer(db: Kysely<Database>, input: RegisterAlertInput) {
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(input.name)) throw new BadRequestError(`Layer name "${input.name}": use letters, digits, _ and - (at most 63).`);
  const existing = await findRasterLayer(db, input.name);
  if (existing && existing.kind !== 'alert') throw new BadRequestError(`"${input.name}" is a ${existing.kind} layer; give the alert layer another --name.`);
  const dir = path.join(input.dataDir, 'rasters', input.name);
  let result;
  try {
    const previousDir = typeof existing?.properties.store === 'string' ? existing.properties.store : undefined;
    result = await ingestAlerts(input.files, dir, input.source, { year: input.year, previousDir, onTileGrid: input.onTileGrid ?? true, ...(input.now ? { now: input.now } : {}), ...(input.onProgress ? { onProgress: input.onProgress } : {}) });
  } catch (e) {
    if (e instanceof AlertInputError) throw new BadRequestError(`${e.message} Nothing was changed.`);
    throw e;
  }
  const { meta } = result;
  const about = ALERT_SOURCE_ABOUT[input.source];
  const properties = {
    store: dir,
    source: input.source,
    attribution: input.attribution ?? about.attribution,
    licence: input.licence ?? about.licence,
    synthetic: input.synthetic ?? false,
    firstDay: result.firstDay,
    lastDay: result.lastDay,
    alertPixels: result.alertPixels,
    changedBlocks: result.changedBlocks,
    totalBlocks: result.totalBlocks,
    // Which blocks changed since which ingest: the stored series that touch none of them stay current.
    changed: { from: existing?.properties.ingestedAt ?? null, blocks: result.changedIndexes && result.changedIndexes.length <= 200_000 ? result.changedIndexes : null },
    levels: meta.levels.length,
    ingestedAt: new Date().toISOString(),
  };
  const row = await upsertRasterLayer(db, {
    name: input.name,
    kind: 'alert',
    version: input.version ?? null,
    files: JSON.stringify(input.files.map((f) => path.resolve(f))),
    width: meta.width,
    height: meta.height,
    pixel_size_deg: meta.pixelSize,
    bounds: { west: meta.west, south: meta.north - meta.height * meta.pixelSize, east: meta.west + meta.width * meta.pixelSize, north: meta.north },
    properties: JSON.stringify(properties),
  });
  return { ...row, ...result };
}

function layerOf(r: RasterLayerRow & { extent?: unknown }, bounds: [number, number, number, number]): AlertLayer {
  const p = r.properties;
  const day = (v: unknown) => (typeof v === 'number' && v > 0 ? dateOfDay(v) : null);
  return {
    name: r.name,
    source: p.source as AlertSource,
    version: r.version,
    licence: typeof p.licence === 'string' ? p.licence : null,
    attribution: typeof p.attribution === 'string' ? p.attribution : null,
    synthetic: p.synthetic === true,
    bounds,
    first_date: day(p.firstDay),
    last_date: day(p.lastDay),
    alert_px: Number(p.alertPixels ?? 0),
  };
}

export async function listAlertLayers(db: Kysely<Database>, rasters: RasterStores): Promise<AlertLayer[]> {
  const rows = await rasterLayersOfKind(db, 'alert');
  const out: AlertLayer[] = [];
  for (const r of rows) {
    const m = (await rasters.get(r.name)).meta;
    out.push(layerOf(r, [m.west, m.north - m.height * m.pixelSize, m.west + m.width * m.pixelSize, m.north]));
  }
  return out;
}

/** The named alert layer, or the newest one registered. */
export async function resolveAlertLayer(db: Kysely<Database>, name: string | undefined): Promise<RasterLayerRow> {
  if (name) {
    const row = await findRasterLayer(db, name);
    if (!row) throw new NotFoundError(`No alert layer "${name}". List them at /api/alerts/layers.`);
    if (row.kind !== 'alert') throw new BadRequestError(`Layer ${name} is a ${row.kind} layer; "layer" must be an alert layer (GET /api/alerts/layers).`);
    return row;
  }
  const all = await rasterLayersOfKind(db, 'alert');
  if (all.length === 0) throw new AppError('conflict', 'No alert layer is registered yet: add one with npm run alerts:add or POST /api/alerts.');
  return all.at(-1)!;
}

export interface AlertQuery {
  layer?: string | undefined;
  from: string;
  to: string;
  confidence?: Confidence[] | undefined;
  period: AlertPeriod;
}

function filterOf(q: AlertQuery) {
  const fromDay = dayOf(q.from);
  const toDay = dayOf(q.to);
  if (fromDay > toDay) throw new BadRequestError(`from (${q.from}) is after to (${q.to}).`);
  if (toDay < 1) throw new BadRequestError(`to (${q.to}) is before 2015-01-01, the first day any alert source has.`);
  if (fromDay > today() + 1) throw new BadRequestError(`from (${q.from}) is in the future.`);
  const confidence = q.confidence ?? [...CONFIDENCES];
  return { fromDay, toDay, confidenceMask: confidenceMask(confidence), confidence };
}

/** Runs pixel work whose budget a request may exceed; the refusal says what to do (400). */
function bounded<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof AlertWorkLimitError) throw new BadRequestError(e.message);
    throw e;
  }
}

/** A subject's zone as polygons: 404 for no such subject, 400 for one without a polygon. */
/** A subject's zone as WKB: 404 for no such subject, 400 for one without a polygon. */
export async function subjectZoneWkb(db: Kysely<Database>, subject: StatSubject, id: number, bufferM: number, doing: string): Promise<Uint8Array> {
  const wkb = await subjectGeometryWkb(db, subject, id, bufferM);
  if (wkb) return wkb;
  if (!(await subjectExists(db, subject, id))) throw new NotFoundError(`No ${subject} ${id}.`);
  throw new BadRequestError(`The ${subject} ${id} has no polygon: give buffer_m (metres) to ${doing} around its sites.`);
}

const subjectPolygons = async (db: Kysely<Database>, subject: StatSubject, id: number, bufferM: number, doing: string) => polygonsFromWkb(await subjectZoneWkb(db, subject, id, bufferM, doing));

/** Where the answer's pixels come from: polygons counted now, or the stored series with the way to its zone. */
type Counted = { polygons: ReturnType<typeof polygonsFromGeoJson> } | { stored: AlertZonal; computedAt: Date; polygons: () => Promise<ReturnType<typeof polygonsFromGeoJson>> };

/** Counts the alerts of spans in this thread, their blocks fetched first when the layer is in the object store. */
async function countNow(store: BlockStore, spans: Spans, f: ReturnType<typeof filterOf>): Promise<AlertZonal> {
  await prefetchSpans(store, spans);
  return bounded(() => alertsOfSpans(spans, store, f));
}

async function answer(db: Kysely<Database>, rasters: RasterStores, layer: RasterLayerRow, q: AlertQuery, bufferM: number | null, counted: Counted): Promise<AlertAnswer> {
  const f = filterOf(q);
  const store = await rasters.get(layer.name);
  const zonal = 'stored' in counted ? counted.stored : await countNow(store, rasterizeSpans(counted.polygons, store.meta), f);
  const zone = async () => rasterizeSpans('stored' in counted ? await counted.polygons() : counted.polygons, store.meta);
  const l = layerOf(layer, [0, 0, 0, 0]);
  const totals = alertTotals(zonal, q.period);
  return {
    ...totals,
    verification: await alertVerification(db, layer.name, store, zone, f, { px: totals.total_px, ha: totals.total_ha }),
    provenance: {
      layer: { name: layer.name, source: l.source, version: layer.version, licence: l.licence, synthetic: l.synthetic, last_date: l.last_date },
      from: q.from,
      to: q.to,
      confidence: f.confidence,
      period: q.period,
      buffer_m: bufferM,
      rule: ALERT_RULE,
      computed_at: ('stored' in counted ? counted.computedAt : new Date()).toISOString(),
    },
  };
}

/** Alerts of a posted geometry (drawn, uploaded, or from another tool). */
export async function alertsForGeometry(db: Kysely<Database>, rasters: RasterStores, geometry: unknown, q: AlertQuery & { bufferM?: number | undefined }, work: { geometry: GeometryPool; limits: GeometryLimits }): Promise<AlertAnswer> {
  const layer = await resolveAlertLayer(db, q.layer);
  filterOf(q);
  const bufferM = q.bufferM ?? 0;
  const prepared = await prepareForAnalysis(work.geometry, geometry, work.limits, bufferM);
  if (bufferM === 0 && !/POLYGON|GEOMETRYCOLLECTION/.test(prepared.type)) throw new BadRequestError(`A ${prepared.type.toLowerCase()} has no area: give buffer_m (metres) to count the alerts around it.`);
  if (!prepared.geometry) throw new BadRequestError('geometry has no polygonal part to analyse.');
  return answer(db, rasters, layer, q, bufferM || null, { polygons: polygonsFromGeoJson(prepared.geometry as { type: string; coordinates: unknown }) });
}

/** Most alert pixels one export writes (a GeoPackage of 200,000 points is about 20 MB). */
export const MAX_EXPORT_ALERTS = 200_000;

/** The alert pixels of a subject as points (centre, date, confidence, hectares), for exports. */
export async function alertPointsForSubject(db: Kysely<Database>, rasters: RasterStores, subject: StatSubject, id: number, q: Omit<AlertQuery, 'period'> & { bufferM: number }) {
  const layer = await resolveAlertLayer(db, q.layer);
  const f = filterOf({ ...q, period: 'day' });
  const polygons = await subjectPolygons(db, subject, id, q.bufferM, 'export the alerts');
  const store = await rasters.get(layer.name);
  const spans = rasterizeSpans(polygons, store.meta);
  await prefetchSpans(store, spans);
  const pixels = bounded(() => alertPixelsOfSpans(spans, store, f, MAX_EXPORT_ALERTS));
  const synthetic = layer.properties.synthetic === true;
  return pixels.map((p) => ({ lon: p.lon, lat: p.lat, properties: { date: dateOfDay(p.day), confidence: CONFIDENCES[p.confidence - 1]!, area_ha: Math.round(p.ha * 1e6) / 1e6, layer: layer.name, synthetic, [`${subject}_id`]: id } }));
}

/** Alerts of an area (its polygon), a site (its buffer) or an activity (the union of its sites' buffers). */
export async function alertsForSubject(db: Kysely<Database>, rasters: RasterStores, subject: StatSubject, id: number, q: AlertQuery & { bufferM: number }): Promise<AlertAnswer> {
  const layer = await resolveAlertLayer(db, q.layer);
  const f = filterOf(q);
  // The stored series when it is current (the job keeps it so after every file), else counted now.
  const stored = await storedAlertZonal(db, layer, subject, id, q.bufferM, f);
  const polygons = () => subjectPolygons(db, subject, id, q.bufferM, 'count the alerts');
  if (stored) return answer(db, rasters, layer, q, q.bufferM || null, { stored: stored.zonal, computedAt: stored.computedAt, polygons });
  return answer(db, rasters, layer, q, q.bufferM || null, { polygons: await polygons() });
}
