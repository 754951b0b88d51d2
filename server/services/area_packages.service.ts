// Offline area packages: everything an inspector needs to work an area without signal, as one
// PMTiles archive of vector tiles (every area kind, sites, activities, forest loss and alerts as
// tapped-for-value rectangles, the Protomaps basemap when one is configured) plus one JSON file
// (the subject, its areas, sites, activities with their indicators, the alerts as points with their
// identity, and the report forms). The same build serves the browser (a job with progress) and
// `npm run package` (a file for QGIS or GDAL).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { BadRequestError } from '../errors';
import {
  activitiesByIds, areaKindsInBox, areasInBox, indicatorsOfActivities, outlineOfWkb, sitesInBox, subjectName, type PackageSubject,
} from '../db/repositories/area_packages.repository';
import { alertTileValues } from '../alerts/alert_tile';
import { alertConfidence, alertDay, CONFIDENCES, dateOfDay, dayOf, today } from '../alerts/alert_encoding';
import { alertPixelsOfSpans, prefetchSpans } from '../alerts/alert_zonal';
import { rasterizeSpans } from '../analysis/zonal/scanline';
import { polygonsFromGeoJson } from '../analysis/zonal/wkb';
import { renderLossTile } from '../raster/render_tile';
import { latToTileY, lonToTileX } from '../raster/tile_math';
import { vectorizeTile } from '../tiles/raster_vectorize';
import { PmtilesWriter, PmTileType } from '../tiles/pmtiles_writer';
import { FIELD_FORMS } from '../api/field_forms';
import { listAlertLayers, subjectZoneWkb } from './alerts.service';
import { resolveLayers } from './loss_layers';
import type { RasterStores } from './rasters.service';
import type { VectorTiles } from './vector_tiles.service';
import { BasemapTiles } from '../tiles/basemap_tiles';
import type { BlockStore } from '../raster/block_store';
import { FIRST_LOSS_YEAR } from '../raster/loss_palette';

/** What one package may hold: bounded before any tile is drawn. */
export const PACKAGE_LIMITS = {
  maxZoom: 16,
  /** Tiles per package: a 20 x 20 km concession at z8-z15 is about 500. */
  maxTiles: 20_000,
  /** A drawn box's widest side, degrees (about 220 km). */
  maxBoxDeg: 2,
  maxAreas: 5_000,
  maxSites: 5_000,
  maxAlerts: 50_000,
  /** Alerts of this many days before the newest are packaged. */
  alertDays: 365,
} as const;

export interface PackageSpec {
  subject: PackageSubject;
  /** The area, activity or site (not for a box). */
  id?: number | undefined;
  /** west, south, east, north: a drawn box. */
  bbox?: [number, number, number, number] | undefined;
  minZoom: number;
  maxZoom: number;
}

export interface PackageDeps {
  db: Kysely<Database>;
  rasters: RasterStores;
  tiles: VectorTiles;
  siteBufferM: number;
  /** A Protomaps basemap to copy within the box, when configured. */
  basemapPmtiles?: string | undefined;
}

interface Resolved {
  name: string;
  subjectId: number | null;
  outline: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  /** The outline's box with a margin: what the tiles cover. */
  bounds: [number, number, number, number];
}

type Tile = [z: number, x: number, y: number];

/** The subject's outline and box, refusing what cannot be packaged (unknown, no polygon, a box too large). */
export async function resolvePackageSubject(deps: PackageDeps, spec: PackageSpec): Promise<Resolved> {
  if (spec.minZoom > spec.maxZoom) throw new BadRequestError(`min_zoom ${spec.minZoom} is above max_zoom ${spec.maxZoom}.`);
  if (spec.maxZoom > PACKAGE_LIMITS.maxZoom) throw new BadRequestError(`max_zoom is at most ${PACKAGE_LIMITS.maxZoom}.`);
  if (spec.subject === 'box') {
    const b = spec.bbox;
    if (!b) throw new BadRequestError('A box package needs bbox=west,south,east,north.');
    const [w, s, e, n] = b;
    if (!(w >= -180 && e <= 180 && s >= -85 && n <= 85 && w < e && s < n)) throw new BadRequestError('bbox is west,south,east,north in degrees, west < east and south < north, latitudes within ±85.');
    if (e - w > PACKAGE_LIMITS.maxBoxDeg || n - s > PACKAGE_LIMITS.maxBoxDeg) throw new BadRequestError(`A box is at most ${PACKAGE_LIMITS.maxBoxDeg} degrees a side; draw a smaller one.`);
    const outline: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
    return { name: `${w.toFixed(3)}, ${s.toFixed(3)} – ${e.toFixed(3)}, ${n.toFixed(3)}`, subjectId: null, outline, bounds: b };
  }
  if (spec.id === undefined) throw new BadRequestError(`A ${spec.subject} package needs the ${spec.subject}'s id.`);
  const wkb = await subjectZoneWkb(deps.db, spec.subject, spec.id, spec.subject === 'area' ? 0 : deps.siteBufferM, 'take it offline');
  const { geojson, bounds } = await outlineOfWkb(deps.db, wkb);
  const name = (await subjectName(deps.db, spec.subject, spec.id)) ?? `${spec.subject} ${spec.id}`;
  // A margin of a tenth of the box (at least ~500 m) so the surroundings show at the edges.
  const mx = Math.max((bounds[2] - bounds[0]) / 10, 0.005);
  const my = Math.max((bounds[3] - bounds[1]) / 10, 0.005);
  return { name, subjectId: spec.id, outline: JSON.parse(geojson) as GeoJSON.Polygon, bounds: [Math.max(-180, bounds[0] - mx), Math.max(-85, bounds[1] - my), Math.min(180, bounds[2] + mx), Math.min(85, bounds[3] + my)] };
}

function tileRange(b: [number, number, number, number], z: number): { x0: number; x1: number; y0: number; y1: number } {
  const n = 2 ** z;
  const clamp = (v: number) => Math.min(n - 1, Math.max(0, Math.floor(v)));
  return { x0: clamp(lonToTileX(b[0], z)), x1: clamp(lonToTileX(b[2], z) - 1e-9), y0: clamp(latToTileY(b[3], z)), y1: clamp(latToTileY(b[1], z) - 1e-9) };
}

/** Tiles per zoom covering the box. */
export function tilesPerZoom(b: [number, number, number, number], minZoom: number, maxZoom: number): { zoom: number; tiles: number }[] {
  const out = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    const r = tileRange(b, z);
    out.push({ zoom: z, tiles: (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1) });
  }
  return out;
}

function* tilesOf(b: [number, number, number, number], minZoom: number, maxZoom: number): Generator<Tile> {
  for (let z = minZoom; z <= maxZoom; z++) {
    const r = tileRange(b, z);
    for (let x = r.x0; x <= r.x1; x++) for (let y = r.y0; y <= r.y1; y++) yield [z, x, y];
  }
}

function checkTileCount(perZoom: { tiles: number }[]): number {
  const total = perZoom.reduce((s, p) => s + p.tiles, 0);
  if (total > PACKAGE_LIMITS.maxTiles) throw new BadRequestError(`That is ${total.toLocaleString('en')} tiles; a package holds at most ${PACKAGE_LIMITS.maxTiles.toLocaleString('en')}. Lower the highest zoom or choose a smaller area.`);
  return total;
}

/** The layers drawn into every tile: resolved once per package. */
interface TileSources {
  kinds: string[];
  loss: { name: string; store: BlockStore; treecover: BlockStore | undefined; threshold: number; firstYear: number; lastYear: number; source: string; licence: string | null; synthetic: boolean } | undefined;
  alerts: { name: string; store: BlockStore; fromDay: number; toDay: number; attribution: string | null; licence: string | null; synthetic: boolean } | undefined;
  basemap: BasemapTiles | undefined;
}

async function tileSources(deps: PackageDeps, bounds: [number, number, number, number]): Promise<TileSources> {
  const kinds = await areaKindsInBox(deps.db, bounds);
  let loss: TileSources['loss'];
  try {
    const layers = await resolveLayers(deps.db, {});
    const store = await deps.rasters.get(layers.loss.name);
    const treecover = layers.treecover ? await deps.rasters.get(layers.treecover.name) : undefined;
    const first = Number(layers.loss.properties.firstYear ?? 1) + FIRST_LOSS_YEAR - 1;
    const p = layers.loss.properties;
    loss = { name: layers.loss.name, store, treecover, threshold: treecover ? layers.threshold : 0, firstYear: first, lastYear: FIRST_LOSS_YEAR - 1 + store.meta.maxValue, source: String(p.source ?? layers.loss.name), licence: (p.licence as string | undefined) ?? null, synthetic: p.synthetic === true };
  } catch {
    loss = undefined; // no loss layer yet: the package has none, and says so
  }
  const alertLayers = (await listAlertLayers(deps.db, deps.rasters)).filter((l) => l.last_date);
  const newest = alertLayers.sort((a, b) => (a.last_date! < b.last_date! ? 1 : -1))[0];
  const alerts = newest
    ? { name: newest.name, store: await deps.rasters.get(newest.name), fromDay: dayOf(newest.last_date!) - PACKAGE_LIMITS.alertDays, toDay: dayOf(newest.last_date!), attribution: newest.attribution, licence: newest.licence, synthetic: newest.synthetic }
    : undefined;
  const basemap = deps.basemapPmtiles && fs.existsSync(deps.basemapPmtiles) ? await BasemapTiles.open(deps.basemapPmtiles) : undefined;
  return { kinds, loss, alerts, basemap };
}

/** One package tile: the MVT layers concatenated (a protobuf Tile's layers are a repeated field), gzipped; undefined when empty. */
async function packageTile(deps: PackageDeps, src: TileSources, native: boolean, [z, x, y]: Tile): Promise<Buffer | undefined> {
  const parts: Uint8Array[] = [];
  if (src.basemap) {
    const b = await src.basemap.tile(z, x, y);
    if (b) parts.push(b);
  }
  for (const kind of src.kinds) parts.push(await deps.tiles.render({ kind: 'areas', areaKind: kind }, kind, z, x, y, native));
  parts.push(await deps.tiles.render({ kind: 'sites' }, 'sites', z, x, y, native));
  if (src.loss) {
    const l = src.loss;
    const r = renderLossTile(l.store, z, x, y, { fromCode: 1, toCode: 255, ...(l.treecover ? { treecover: { store: l.treecover, threshold: l.threshold } } : {}) });
    if (r?.painted) parts.push(vectorizeTile('loss', r.indices, (code) => ({ year: FIRST_LOSS_YEAR - 1 + code })));
  }
  if (src.alerts) {
    const a = src.alerts;
    const r = alertTileValues(a.store, z, x, y, { fromDay: a.fromDay, toDay: a.toDay, confidenceMask: 0b1110 });
    if (r?.painted) parts.push(vectorizeTile('alerts', r.values, (v) => ({ day: alertDay(v), date: dateOfDay(alertDay(v)), confidence: CONFIDENCES[alertConfidence(v) - 1]! })));
  }
  const bytes = Buffer.concat(parts.filter((p) => p.length > 0));
  return bytes.length ? gzipSync(bytes, { level: 6 }) : undefined;
}

export interface PackageEstimate {
  name: string;
  bounds: [number, number, number, number];
  min_zoom: number;
  max_zoom: number;
  tiles: number;
  per_zoom: { zoom: number; tiles: number }[];
  /** Bytes, from a sample of tiles drawn now (±30 % is typical). */
  bytes_estimate: number;
}

/** The subject resolved and its tiles counted, refusing a package past the limits: no tile is drawn. */
export async function sizePackage(deps: PackageDeps, spec: PackageSpec): Promise<{ resolved: Resolved; perZoom: { zoom: number; tiles: number }[]; tiles: number }> {
  const resolved = await resolvePackageSubject(deps, spec);
  const perZoom = tilesPerZoom(resolved.bounds, spec.minZoom, spec.maxZoom);
  return { resolved, perZoom, tiles: checkTileCount(perZoom) };
}

/** Tile count (exact) and size (from up to 12 sampled tiles across the zooms) before anything is built. */
export async function estimatePackage(deps: PackageDeps, spec: PackageSpec): Promise<PackageEstimate> {
  const { resolved: r, perZoom, tiles } = await sizePackage(deps, spec);
  const src = await tileSources(deps, r.bounds);
  const native = await deps.tiles.usesNativeMvt();
  // Per zoom, sample a few tiles spread over the range, and scale by that zoom's count.
  let bytes = 0;
  const zooms = perZoom.filter((p) => p.tiles > 0);
  const perZoomSamples = Math.max(1, Math.floor(12 / zooms.length));
  for (const p of zooms) {
    const all = [...tilesOf(r.bounds, p.zoom, p.zoom)];
    const step = Math.max(1, Math.floor(all.length / perZoomSamples));
    let sampled = 0;
    let sum = 0;
    for (let i = Math.floor(step / 2); i < all.length && sampled < perZoomSamples; i += step, sampled++) sum += (await packageTile(deps, src, native, all[i]!))?.length ?? 0;
    bytes += (sum / Math.max(1, sampled)) * p.tiles;
  }
  await src.basemap?.close();
  return { name: r.name, bounds: r.bounds, min_zoom: spec.minZoom, max_zoom: spec.maxZoom, tiles, per_zoom: perZoom, bytes_estimate: Math.round(bytes + 4096) };
}

export interface BuiltPackage {
  tiles: number;
  bytes: number;
  sha256: string;
  jsonBytes: number;
}

/**
 * Builds the archive at `file` (and its JSON at `file` with .json for .pmtiles), through `.part`
 * files renamed at the end: a build killed halfway leaves no package that looks whole.
 */
export async function buildPackage(deps: PackageDeps, spec: PackageSpec, file: string, progress: (done: number, total: number) => void = () => undefined, identity: { id?: number; createdBy?: string } = {}): Promise<BuiltPackage> {
  const { resolved: r, tiles: total } = await sizePackage(deps, spec);
  const src = await tileSources(deps, r.bounds);
  const native = await deps.tiles.usesNativeMvt();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const part = `${file}.part`;
  const jsonFile = file.replace(/\.pmtiles$/, '') + '.json';
  const content = await packageContent(deps, spec, r, src, identity);
  const writer = new PmtilesWriter(part, {
    tileType: PmTileType.Mvt,
    tileGzip: true,
    bounds: r.bounds,
    center: [(r.bounds[0] + r.bounds[2]) / 2, (r.bounds[1] + r.bounds[3]) / 2, Math.min(spec.maxZoom, Math.max(spec.minZoom, 12))],
    metadata: {
      name: `Atalaya: ${r.name}`,
      description: `Offline package of ${spec.subject === 'box' ? 'a drawn box' : `${spec.subject} ${r.subjectId}`} (${r.name}), zoom ${spec.minZoom}-${spec.maxZoom}`,
      attribution: content.attribution.map((a) => `${a.source}${a.licence ? ` (${a.licence})` : ''}`).join('; '),
      type: 'overlay',
      format: 'pbf',
      vector_layers: [
        { id: 'loss', description: 'Forest loss pixels as drawn at this zoom: year of loss', fields: { year: 'Number' } },
        { id: 'alerts', description: 'Deforestation alert pixels: date and confidence of the newest alert', fields: { day: 'Number', date: 'String', confidence: 'String' } },
        { id: 'sites', description: 'Intervention sites of published activities', fields: { id: 'Number', name: 'String', activity_id: 'Number' } },
        ...src.kinds.map((k) => ({ id: k, description: `Areas of kind ${k}`, fields: { id: 'Number', name: 'String' } })),
        ...(src.basemap ? src.basemap.vectorLayers : []),
      ],
      atalaya: { format: 'atalaya-area-package', version: 1, json: path.basename(jsonFile) },
    },
  });
  try {
    let done = 0;
    for (const t of tilesOf(r.bounds, spec.minZoom, spec.maxZoom)) {
      const bytes = await packageTile(deps, src, native, t);
      if (bytes) writer.add(t[0], t[1], t[2], bytes);
      if (++done % 25 === 0 || done === total) progress(done, total);
    }
    const tileCount = writer.tileCount;
    const bytes = writer.finish();
    const json = JSON.stringify({ ...content, package: { ...content.package, tiles: tileCount, bytes } });
    fs.writeFileSync(`${jsonFile}.part`, json);
    const sha256 = createHash('sha256').update(fs.readFileSync(part)).digest('hex');
    fs.renameSync(`${jsonFile}.part`, jsonFile);
    fs.renameSync(part, file);
    return { tiles: tileCount, bytes, sha256, jsonBytes: Buffer.byteLength(json) };
  } catch (e) {
    fs.rmSync(part, { force: true });
    fs.rmSync(`${part}.tiles`, { force: true });
    fs.rmSync(`${jsonFile}.part`, { force: true });
    throw e;
  } finally {
    await src.basemap?.close();
  }
}

/** The JSON half: what the field screens list and what reports refer to (alert identities, sites, indicators). */
async function packageContent(deps: PackageDeps, spec: PackageSpec, r: Resolved, src: TileSources, identity: { id?: number; createdBy?: string }) {
  const areas = await areasInBox(deps.db, r.bounds, PACKAGE_LIMITS.maxAreas + 1);
  const sites = await sitesInBox(deps.db, r.bounds, PACKAGE_LIMITS.maxSites + 1);
  const activityIds = [...new Set(sites.map((s) => s.activity_id))];
  const activities = await activitiesByIds(deps.db, activityIds);
  const indicators = await indicatorsOfActivities(deps.db, activityIds);
  let alerts: { layer: string; from: string; to: string; truncated: boolean; points: { id: string; lon: number; lat: number; date: string; confidence: string; area_ha: number }[] } | null = null;
  if (src.alerts) {
    const a = src.alerts;
    const polygons = polygonsFromGeoJson(r.outline);
    const spans = rasterizeSpans(polygons, a.store.meta);
    await prefetchSpans(a.store, spans);
    const pixels = alertPixelsOfSpans(spans, a.store, { fromDay: a.fromDay, toDay: a.toDay, confidenceMask: 0b1110 }, PACKAGE_LIMITS.maxAlerts + 1);
    alerts = {
      layer: a.name,
      from: dateOfDay(a.fromDay),
      to: dateOfDay(a.toDay),
      truncated: pixels.length > PACKAGE_LIMITS.maxAlerts,
      // An alert's identity: its layer, full-resolution pixel and day (what a verification refers to).
      points: pixels.slice(0, PACKAGE_LIMITS.maxAlerts).map((p) => ({ id: `${a.name}:${p.col}:${p.row}:${p.day}`, lon: Math.round(p.lon * 1e7) / 1e7, lat: Math.round(p.lat * 1e7) / 1e7, date: dateOfDay(p.day), confidence: CONFIDENCES[p.confidence - 1]!, area_ha: Math.round(p.ha * 1e6) / 1e6 })),
    };
  }
  const attribution = [
    ...(src.loss ? [{ layer: 'loss', source: src.loss.source, licence: src.loss.licence, synthetic: src.loss.synthetic }] : []),
    ...(src.alerts ? [{ layer: 'alerts', source: src.alerts.attribution ?? src.alerts.name, licence: src.alerts.licence, synthetic: src.alerts.synthetic }] : []),
    ...(src.basemap ? [{ layer: 'basemap', source: src.basemap.attribution, licence: null, synthetic: false }] : []),
  ];
  return {
    format: 'atalaya-area-package',
    version: 1,
    package: {
      id: identity.id ?? null,
      name: r.name,
      subject: spec.subject,
      subject_id: r.subjectId,
      bounds: r.bounds,
      min_zoom: spec.minZoom,
      max_zoom: spec.maxZoom,
      created_at: new Date().toISOString(),
      created_by: identity.createdBy ?? null,
      data_date: dateOfDay(today()),
      // 'basemap': the tiles also hold a Protomaps basemap's layers (earth, water, roads, ...).
      layers: ['loss', 'alerts', 'sites', ...src.kinds, ...(src.basemap ? ['basemap'] : [])],
    },
    outline: r.outline,
    loss: src.loss ? { layer: src.loss.name, first_year: src.loss.firstYear, last_year: src.loss.lastYear, forest_threshold: src.loss.treecover ? src.loss.threshold : null, synthetic: src.loss.synthetic } : null,
    alerts,
    areas: { truncated: areas.length > PACKAGE_LIMITS.maxAreas, items: areas.slice(0, PACKAGE_LIMITS.maxAreas) },
    sites: { truncated: sites.length > PACKAGE_LIMITS.maxSites, items: sites.slice(0, PACKAGE_LIMITS.maxSites).map((s) => ({ ...s, lon: Math.round(s.lon * 1e7) / 1e7, lat: Math.round(s.lat * 1e7) / 1e7 })) },
    activities: activities.map((a) => ({ ...a, indicators: indicators.filter((i) => i.activity_id === a.id) })),
    forms: FIELD_FORMS,
    attribution,
  };
}
