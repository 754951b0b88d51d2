// Fetches a catalogue source and stores it through the same paths a user's import takes: areas via
// the feature importer (one transaction per layer, provenance with URL, time and licence), rasters
// via the raster store. An unchanged source is neither downloaded nor imported again; a failed or
// changed-schema fetch leaves the previous data as it was and says why.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Feature } from 'geojson';
import type { Database } from '../db/schema';
import { fetchStateOf, recordFetch } from '../db/repositories/source_fetch.repository';
import { findRasterLayer } from '../db/repositories/raster_layers.repository';
import { arcgisPages } from '../fetch/arcgis_rest';
import { wfsPages } from '../fetch/wfs';
import { downloadFile } from '../fetch/download_file';
import { HttpError, type HttpOptions } from '../fetch/http_client';
import { tilesOfBbox, tilesOfRegion, tileUrl, type Bbox, type GridTile } from '../fetch/tile_grid';
import type { Source } from '../sources/catalogue_schema';
import { joinParts, mapFeature, missingFields, onOrAfter, startOf } from '../sources/field_mapping';
import { importFeatureFile } from '../import/feature_importer';
import type { GeometryPool } from '../geometry/geometry_pool';
import { registerAlertLayer } from './alerts.service';
import { addVectorAlerts } from './vector_alerts.service';
import { registerRasterLayer } from './raster_layers.service';
import { peruOutline } from '../seed/peru_outline';

export interface FetchOptions {
  dataDir: string;
  bbox?: Bbox;
  /** A named region for tile sources: 'peru' (its outline picks the tiles). */
  region?: 'peru';
  /**
   * Only features dated on or after this day (YYYY-MM-DD): asked of the service (an ArcGIS where, a
   * WFS filter) and checked again on what arrives, for sources with a mapped start date.
   */
  since?: string;
  dryRun?: boolean;
  http?: HttpOptions;
  geometryPool?: GeometryPool;
  onProgress?: (message: string) => void;
}

export interface FetchReport {
  source: string;
  status: 'imported' | 'not_modified' | 'dry_run' | 'downloaded';
  /** Features read (vector sources) or tiles (rasters). */
  count: number;
  urls: string[];
  detail: string;
}

/** A source whose answer cannot be used as it is (a schema change, an empty answer): nothing is stored. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

const headersOf = (s: Source): Record<string, string> => {
  if (!s.apiKey) return {};
  const key = process.env[s.apiKey.env];
  if (!key) throw new SourceError(`${s.id} needs an API key: set ${s.apiKey.env}.`);
  return { [s.apiKey.header]: key };
};

export async function fetchSource(db: Kysely<Database>, source: Source, options: FetchOptions): Promise<FetchReport> {
  const http: HttpOptions = { ...options.http, headers: { ...options.http?.headers, ...headersOf(source) } };
  const url = source.protocol === 'tiles-10deg' ? source.urlTemplate : source.url;
  try {
    if (source.protocol === 'tiles-10deg') return await fetchTiles(db, source, options, http);
    if (source.protocol === 'http-file') return await fetchFile(db, source, options, http);
    return await fetchFeatures(db, source, options, http);
  } catch (e) {
    if (!options.dryRun) await recordFetch(db, { source_id: source.id, url, etag: null, last_modified: null, sha256: null, bytes: null, features: null, status: 'failed', message: (e as Error).message.slice(0, 2000) });
    throw e;
  }
}

function workDir(options: FetchOptions, source: Source): string {
  const dir = path.join(options.dataDir, 'sources', source.id);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** ArcGIS REST and WFS: every page into one GeoJSON file, checked, hashed, then imported. */
async function fetchFeatures(db: Kysely<Database>, source: Extract<Source, { protocol: 'arcgis-rest' | 'wfs' }>, options: FetchOptions, http: HttpOptions): Promise<FetchReport> {
  if (source.target.type !== 'areas') throw new SourceError(`${source.id}: a ${source.protocol} source becomes areas; alerts from points arrive with the alerts feature.`);
  const fields = source.fields!;
  const kind = source.target.kind;
  if (options.since && !fields.start) throw new SourceError(`${source.id}: --since needs a dated source, and this one maps no start date field; fetch it without --since.`);
  const since = options.since && fields.start ? { property: fields.start, from: options.since } : undefined;
  const where = source.protocol === 'arcgis-rest' ? (since ? `(${source.where}) AND ${since.property} >= DATE '${since.from}'` : source.where) : undefined;
  const pages =
    source.protocol === 'arcgis-rest'
      ? arcgisPages(source.url, { ...(where ? { where } : {}), ...(source.pageSize ? { pageSize: source.pageSize } : {}), ...(options.bbox ? { bbox: options.bbox } : {}), http })
      : wfsPages(source.url, { typeName: source.typeName, outputFormat: source.outputFormat, srsName: source.srsName, pageSize: source.pageSize, ...(options.bbox ? { bbox: options.bbox } : {}), ...(since ? { since } : {}), http });
  let older = 0;
  // Kept by id until the last page: rows of one multi-part area are joined (see joinParts).
  const byId = new Map<string, Feature>();
  let rows = 0;
  for await (const page of pages) {
    for (const f of page.features) {
      rows++;
      const missing = missingFields(f.properties as Record<string, unknown> | null, fields);
      if (missing.length) {
        throw new SourceError(`${source.id}: the source no longer has the field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} (feature ${rows} has ${Object.keys(f.properties ?? {}).join(', ') || 'no fields'}). Update the field mapping in data/sources.json; the previous data stays.`);
      }
      const mapped = mapFeature(f as Feature, fields, kind);
      // A service that ignores the date condition (or reads it loosely) still adds nothing older.
      if (since && !onOrAfter(startOf(mapped, kind), since.from)) {
        older++;
        continue;
      }
      const id = String((f.properties as Record<string, unknown>)[fields.id]);
      const seen = byId.get(id);
      byId.set(id, seen ? joinParts(seen, mapped) : mapped);
    }
    options.onProgress?.(`${source.id}: ${rows} features`);
  }
  const count = byId.size;
  const file = path.join(workDir(options, source), `${source.id}.geojson.part`);
  const hash = createHash('sha256');
  const out = fs.createWriteStream(file);
  try {
    let first = true;
    const write = (text: string) => {
      hash.update(text);
      return out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
    };
    await write('{"type":"FeatureCollection","features":[\n');
    for (const f of byId.values()) {
      await write(`${first ? '' : ',\n'}${JSON.stringify(f)}`);
      first = false;
    }
    await write('\n]}\n');
  } finally {
    await new Promise<void>((r) => out.end(() => r()));
  }
  const olderNote = older ? `; ${older} older than ${since!.from} left out` : '';
  if (count === 0 && since) {
    fs.rmSync(file, { force: true });
    return { source: source.id, status: 'not_modified', count: 0, urls: [source.url], detail: `no features dated on or after ${since.from}${olderNote}: nothing changed` };
  }
  if (count === 0) {
    fs.rmSync(file, { force: true });
    throw new SourceError(`${source.id}: the service answered no features${options.bbox ? ' in that bbox' : ''}; nothing was changed.`);
  }
  const sha256 = hash.digest('hex');
  if (options.dryRun) {
    fs.rmSync(file, { force: true });
    return { source: source.id, status: 'dry_run', count, urls: [source.url], detail: `${count} features would be imported as ${kind}${olderNote}` };
  }
  const previous = await fetchStateOf(db, source.id, source.url);
  if (previous?.status !== 'failed' && previous?.sha256 === sha256) {
    fs.rmSync(file, { force: true });
    await recordFetch(db, { ...previous, status: 'not_modified', message: null });
    return { source: source.id, status: 'not_modified', count, urls: [source.url], detail: 'unchanged since the last fetch: not imported again' };
  }
  const target = file.replace(/\.part$/, '');
  fs.renameSync(file, target);
  const report = await importAreas(db, target, source, options, `${source.id}.geojson`);
  await recordFetch(db, { source_id: source.id, url: source.url, etag: null, last_modified: null, sha256, bytes: fs.statSync(target).size, features: count, status: 'ok', message: null });
  return { source: source.id, status: 'imported', count, urls: [source.url], detail: `${report.inserted} inserted, ${report.updated} updated as ${kind}${olderNote}` };
}

/** A fetched file of areas through the importer, with the source's field mapping and its provenance (agency, URL, time, licence). */
function importAreas(db: Kysely<Database>, file: string, source: Extract<Source, { protocol: 'arcgis-rest' | 'wfs' | 'http-file' }>, options: FetchOptions, fileName?: string) {
  if (source.target.type !== 'areas') throw new SourceError(`${source.id}: not a source of areas.`);
  const fields = source.fields!;
  return importFeatureFile(db, file, { type: 'areas', kind: source.target.kind, ...(source.target.kindLabel ? { createKind: source.target.kindLabel } : {}) }, {
    idField: fields.id,
    nameField: fields.name,
    licence: source.licence,
    source: `${source.attribution}; ${source.url}; fetched ${new Date().toISOString()}`,
    ...(fileName ? { fileName } : {}),
    ...(options.geometryPool ? { geometryPool: options.geometryPool } : {}),
  });
}

/** One file: downloaded only when changed, then imported (vectors) or stored (a GeoTIFF). */
async function fetchFile(db: Kysely<Database>, source: Extract<Source, { protocol: 'http-file' }>, options: FetchOptions, http: HttpOptions): Promise<FetchReport> {
  const name = path.basename(new URL(source.url).pathname) || `${source.id}.${source.format}`;
  const target = path.join(workDir(options, source), name);
  const previous = await fetchStateOf(db, source.id, source.url);
  if (options.dryRun) return { source: source.id, status: 'dry_run', count: 1, urls: [source.url], detail: `would download ${source.url}` };
  const got = await downloadFile(source.url, target, previous?.status === 'failed' ? {} : { etag: previous?.etag ?? null, lastModified: previous?.last_modified ?? null }, http);
  const state = { source_id: source.id, url: source.url, etag: got.etag, last_modified: got.lastModified, sha256: got.sha256, bytes: got.bytes, features: null, message: null };
  if (got.status === 'not_modified' || (previous?.status !== 'failed' && previous?.sha256 === got.sha256)) {
    await recordFetch(db, { ...state, features: previous?.features ?? null, status: 'not_modified' });
    return { source: source.id, status: 'not_modified', count: 0, urls: [source.url], detail: got.status === 'not_modified' ? 'the server says unchanged (304)' : 'same checksum as the last fetch' };
  }
  if (source.target.type === 'raster' && source.target.kind !== 'datamask') {
    await registerRasterLayer(db, { files: [target], kind: source.target.kind, name: source.target.name, dataDir: options.dataDir, about: { source: source.attribution, licence: source.licence, methodNote: source.target.methodNote } });
    await recordFetch(db, { ...state, status: 'ok' });
    return { source: source.id, status: 'imported', count: 1, urls: [source.url], detail: `stored as raster layer ${source.target.name}` };
  }
  if (source.target.type === 'alerts' && source.target.alertSource === 'geobosques') {
    const r = await addVectorAlerts(db, target, { name: source.id.replace(/-/g, '_'), fileName: name, attribution: source.attribution, licence: source.licence });
    await recordFetch(db, { ...state, features: r.alerts, status: 'ok' });
    return { source: source.id, status: 'imported', count: r.alerts, urls: [source.url], detail: `${r.alerts} alerts dated ${r.firstDate ?? '-'} to ${r.lastDate ?? '-'} as /ogc/collections/alerts_${r.name}` };
  }
  if (source.target.type !== 'areas') {
    await recordFetch(db, { ...state, status: 'ok' });
    return { source: source.id, status: 'downloaded', count: 1, urls: [source.url], detail: `kept in ${target}; ${notStored(source.target)}` };
  }
  const report = await importAreas(db, target, source, options);
  await recordFetch(db, { ...state, features: report.features, status: 'ok' });
  return { source: source.id, status: 'imported', count: report.features, urls: [source.url], detail: `${report.inserted} inserted, ${report.updated} updated as ${source.target.kind}` };
}

/** Why a downloaded file is kept but not stored as a layer. */
function notStored(target: Source['target']): string {
  return target.type === 'alerts' ? 'alerts of this kind are kept as downloaded' : 'the data mask (land, water) is kept beside the loss tiles, not drawn as a layer';
}

/** The tiles of a bbox or region, each downloaded when changed, stored as one mosaic layer. */
export function tilesFor(options: Pick<FetchOptions, 'bbox' | 'region'>): GridTile[] {
  if (options.bbox) return tilesOfBbox(options.bbox);
  if (options.region === 'peru' || !options.region) return tilesOfRegion(peruOutline());
  throw new SourceError(`Unknown region ${String(options.region)}: use --region peru or --bbox west,south,east,north.`);
}

async function fetchTiles(db: Kysely<Database>, source: Extract<Source, { protocol: 'tiles-10deg' }>, options: FetchOptions, http: HttpOptions): Promise<FetchReport> {
  const tiles = tilesFor(options);
  // GLAD-L publishes each tile's classes (`alert`) and dates (`alertDate`) as two files: both are fetched.
  const gladL = source.target.type === 'alerts' && source.target.alertSource === 'glad-l';
  const layers = gladL ? [source.layer, 'alertDate'] : [source.layer];
  const downloads = tiles.flatMap((t) => layers.map((layer) => ({ tile: t, layer, url: tileUrl(source.urlTemplate, { version: source.version, layer, tile: t.name }) })));
  const urls = downloads.map((d) => d.url);
  if (options.dryRun) return { source: source.id, status: 'dry_run', count: tiles.length, urls, detail: `tiles ${tiles.map((t) => t.name).join(', ')}` };
  const dir = workDir(options, source);
  const files: string[] = [];
  let changed = false;
  const missing: string[] = [];
  for (const [i, { tile, layer, url }] of downloads.entries()) {
    const previous = await fetchStateOf(db, source.id, url);
    options.onProgress?.(`${source.id}: tile ${tile.name} (${i + 1} of ${downloads.length})`);
    let got;
    try {
      got = await downloadFile(url, path.join(dir, `${layer}_${tile.name}.tif`), previous?.status === 'failed' ? {} : { etag: previous?.etag ?? null, lastModified: previous?.last_modified ?? null }, http);
    } catch (e) {
      // The grid has no file where there is no land (ocean tiles): not an error while others exist.
      if (e instanceof HttpError && e.status === 404) {
        missing.push(tile.name);
        continue;
      }
      throw e;
    }
    files.push(got.path);
    if (got.status === 'downloaded' && got.sha256 !== previous?.sha256) changed = true;
    await recordFetch(db, { source_id: source.id, url, etag: got.etag, last_modified: got.lastModified, sha256: got.sha256, bytes: got.bytes, features: null, status: got.status === 'downloaded' ? 'ok' : 'not_modified', message: null });
  }
  if (files.length === 0) throw new SourceError(`${source.id}: none of the tiles ${tiles.map((t) => t.name).join(', ')} exists at ${source.urlTemplate}.`);
  const note = missing.length ? ` (no file for ${missing.join(', ')})` : '';
  if (source.target.type === 'alerts' && source.target.alertSource !== 'geobosques') {
    const name = source.id.replace(/-/g, '_');
    if (!changed && (await findRasterLayer(db, name))) return { source: source.id, status: 'not_modified', count: files.length, urls, detail: `tiles unchanged${note}` };
    const alerts = await registerAlertLayer(db, { files, source: source.target.alertSource, name, version: source.version, year: gladL && /^\d{4}$/.test(source.version) ? Number(source.version) : undefined, dataDir: options.dataDir, attribution: source.attribution, licence: source.licence });
    return { source: source.id, status: 'imported', count: files.length, urls, detail: `stored as alert layer ${alerts.name}: ${alerts.alertPixels} alert pixels, ${alerts.changedBlocks} of ${alerts.totalBlocks} blocks changed${note}` };
  }
  if (source.target.type !== 'raster' || source.target.kind === 'datamask') return { source: source.id, status: 'downloaded', count: files.length, urls, detail: `kept in ${dir}${note}; ${notStored(source.target)}` };
  const existing = await findRasterLayer(db, source.target.name);
  if (!changed && existing) return { source: source.id, status: 'not_modified', count: files.length, urls, detail: `tiles unchanged${note}` };
  const layer = await registerRasterLayer(db, {
    files,
    kind: source.target.kind,
    name: source.target.name,
    version: source.version,
    ...(source.target.treecover && (await findRasterLayer(db, source.target.treecover)) ? { treecover: source.target.treecover } : {}),
    dataDir: options.dataDir,
    about: { source: source.attribution, licence: source.licence, methodNote: source.target.methodNote },
  });
  return { source: source.id, status: 'imported', count: files.length, urls, detail: `stored as raster layer ${layer.name} (${layer.width} x ${layer.height})${note}` };
}
