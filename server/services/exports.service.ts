// Exports of a selection of areas, sites or activities, and of stored statistics with their
// subjects: GeoJSON and CSV streamed in batches (any size), GeoPackage and zipped Shapefile built
// in memory (capped, with a message saying how to narrow the selection).
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Feature } from 'geojson';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../db/schema';
import type { ExportQuery, StatisticsExportQuery } from '../api';
import { AppError } from '../errors';
import { collection } from './ogc_features.service';
import { checkSelection, countFeatures, featureBatches, propertyKeys, selectFeatures, type EncodedFeature, type FeatureSelection, type GeometryEncoding } from '../db/repositories/feature_collections.repository';
import { FEATURE_COLLECTION_TAIL, featureCollectionHead, featureText } from './geojson_text';
import { findStats } from '../db/repositories/loss_statistics.repository';
import { resolveLayers, statKey } from './loss_layers';
import { writeGeoPackage, type GpkgFeature } from '../exports/geopackage';
import { writeShapefileZip } from '../exports/shapefile';

/** GeoPackage and Shapefile are assembled in memory: beyond this, narrow the selection (bbox, kind) or use GeoJSON/CSV. */
export const MAX_IN_MEMORY_FEATURES = 250_000;

export const EXPORT_TYPES = {
  geojson: { type: 'application/geo+json', ext: 'geojson' },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  gpkg: { type: 'application/geopackage+sqlite3', ext: 'gpkg' },
  shp: { type: 'application/zip', ext: 'zip' },
} as const;

type Row = EncodedFeature;

async function selection(db: Kysely<Database>, q: ExportQuery): Promise<FeatureSelection> {
  const c = await collection(db, q.what === 'areas' ? q.kind ?? 'areas' : q.what);
  const properties: Record<string, string> = {};
  if (q.priority_area) properties.priority_area = q.priority_area;
  if (q.status) properties.status = q.status;
  if (q.activity_id !== undefined && q.what === 'areas') throw new AppError('bad_request', 'activity_id selects sites or activities, not areas.');
  if (q.activity_id !== undefined && q.what === 'sites') properties.activity_id = String(q.activity_id);
  // An activity of the activities collection is an id (both given: the id if it is among the ids).
  const activity = q.activity_id !== undefined && q.what === 'activities' ? q.activity_id : undefined;
  const ids = activity === undefined ? q.ids : (q.ids ?? [activity]).filter((id) => id === activity);
  return selectFeatures(c, { properties, ...(q.bbox ? { bbox: q.bbox } : {}), ...(ids ? { ids } : {}) });
}

const ENCODING: Record<ExportQuery['format'], GeometryEncoding> = { geojson: 'geojson', csv: 'wkt', gpkg: 'wkb', shp: 'geojson' };

async function write(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Streams GeoJSON or CSV; returns the number of features written. */
async function streamText(db: Kysely<Database>, s: FeatureSelection, format: 'geojson' | 'csv', out: Writable): Promise<number> {
  let n = 0;
  if (format === 'geojson') {
    await write(out, featureCollectionHead());
    for await (const rows of featureBatches(db, s, 'geojson')) {
      await write(out, rows.map((r) => `${n++ ? ',' : ''}${featureText(r.id, r.g, r.p)}`).join(''));
    }
    await write(out, FEATURE_COLLECTION_TAIL);
    return n;
  }
  // CSV: one column per property the selection has (read first, so the header comes first), the geometry as WKT.
  const keys = await propertyKeys(db, s);
  await write(out, stringify([['id', ...keys, 'wkt']]));
  for await (const rows of featureBatches(db, s, 'wkt')) {
    const lines = rows.map((r) => {
      const p = JSON.parse(r.p) as Record<string, unknown>;
      return [r.id, ...keys.map((k) => (p[k] === null || p[k] === undefined ? '' : typeof p[k] === 'object' ? JSON.stringify(p[k]) : p[k])), r.wkt ?? ''];
    });
    n += rows.length;
    await write(out, stringify(lines as unknown[][]));
  }
  return n;
}

async function collect(db: Kysely<Database>, s: FeatureSelection, encoding: GeometryEncoding): Promise<(Row & { props: Record<string, unknown> })[]> {
  const count = await countFeatures(db, s);
  if (count > MAX_IN_MEMORY_FEATURES) throw new AppError('payload_too_large', `${count} features are too many for a GeoPackage or Shapefile built in memory (at most ${MAX_IN_MEMORY_FEATURES}): narrow the selection with bbox or kind, or export GeoJSON or CSV, which stream.`);
  const all: (Row & { props: Record<string, unknown> })[] = [];
  for await (const rows of featureBatches(db, s, encoding)) for (const r of rows) all.push({ ...r, props: JSON.parse(r.p) as Record<string, unknown> });
  return all;
}

function gpkgFeatures(rows: (Row & { props: Record<string, unknown> })[]): GpkgFeature[] {
  return rows.map((r) => ({
    wkb: r.wkb ? new Uint8Array(r.wkb) : null,
    bbox: r.xmin === null ? null : [r.xmin, r.ymin!, r.xmax!, r.ymax!],
    properties: { id: r.id, ...r.props },
  }));
}

function geojsonFeatures(rows: (Row & { props: Record<string, unknown> })[]): Feature[] {
  return rows.map((r) => ({ type: 'Feature', id: r.id, geometry: r.g ? JSON.parse(r.g) : null, properties: { id: r.id, ...r.props } }));
}

async function binary(name: string, format: 'gpkg' | 'shp', rows: (Row & { props: Record<string, unknown> })[], geometryType: string): Promise<Uint8Array> {
  return format === 'gpkg' ? writeGeoPackage(name, geometryType, gpkgFeatures(rows)) : writeShapefileZip(name, geojsonFeatures(rows));
}

export function exportName(q: ExportQuery): string {
  return q.what === 'areas' ? q.kind ?? 'areas' : q.what;
}

/** Writes the export of a selection to `out` (a response): streamed for GeoJSON and CSV. */
export async function exportSelection(db: Kysely<Database>, q: ExportQuery, out: Writable & { end(): void }, start: () => void): Promise<void> {
  const s = await selection(db, q);
  if (q.format === 'geojson' || q.format === 'csv') {
    // A bad filter fails in the first query; the headers wait until then.
    await checkSelection(db, s);
    start();
    await streamText(db, s, q.format, out);
    out.end();
    return;
  }
  const rows = await collect(db, s, ENCODING[q.format]);
  start();
  out.write(await binary(exportName(q), q.format, rows, q.what === 'areas' ? 'MULTIPOLYGON' : 'GEOMETRY'));
  out.end();
}

/** Stored loss statistics with their subjects' geometry: one row per subject, a column per year. */
export async function exportStatistics(db: Kysely<Database>, q: StatisticsExportQuery, defaultBufferM: number): Promise<{ name: string; body: Uint8Array | string }> {
  const layers = await resolveLayers(db, { layer: q.layer, treecover: q.treecover === 'none' ? null : q.treecover, threshold: q.threshold });
  const bufferM = q.buffer_m ?? (q.subject === 'area' ? 0 : defaultBufferM);
  const stats = await findStats(db, q.subject, null, statKey(layers, bufferM), q.subject === 'area' ? q.kind : undefined, true);
  const source = await collection(db, q.subject === 'area' ? q.kind ?? 'areas' : q.subject === 'site' ? 'sites' : 'activities');
  const ids = stats.map((s) => s.subject_id);
  const subjects = new Map<number, Row & { props: Record<string, unknown> }>();
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    for await (const rows of featureBatches(db, selectFeatures(source, { ids: chunk }), ENCODING[q.format])) for (const r of rows) subjects.set(r.id, { ...r, props: JSON.parse(r.p) as Record<string, unknown> });
  }
  // Subjects not public (sites of draft activities) are left out with their statistics.
  const rows = stats.filter((s) => subjects.has(s.subject_id)).map((s) => {
    const subject = subjects.get(s.subject_id)!;
    const years = Object.fromEntries(s.years.map((y) => [`loss_${y.year}`, y.loss_ha]));
    const props: Record<string, unknown> = {
      name: subject.props.name ?? subject.props.code ?? '',
      kind: subject.props.kind ?? q.subject,
      area_ha: Math.round(s.area_ha * 100) / 100,
      forest2000_ha: Math.round(s.forest2000_ha * 100) / 100,
      total_loss_ha: Math.round(s.years.reduce((t, y) => t + y.loss_ha, 0) * 1e4) / 1e4,
      ...years,
      buffer_m: bufferM,
      layer: layers.loss.name,
      treecover: layers.treecover?.name ?? '',
      threshold: layers.treecover ? layers.threshold : '',
      computed_at: s.computed_at.toISOString(),
    };
    return { ...subject, props };
  });
  const name = `${q.subject}-loss-statistics`;
  if (q.format === 'csv') {
    const keys = rows.length ? Object.keys(rows[0]!.props) : [];
    return { name, body: stringify([['id', ...keys, 'wkt'], ...rows.map((r) => [r.id, ...keys.map((k) => r.props[k] as unknown), r.wkt ?? ''])] as unknown[][]) };
  }
  if (q.format === 'geojson') return { name, body: JSON.stringify({ type: 'FeatureCollection', features: geojsonFeatures(rows) }) };
  return { name, body: await binary(name.replace(/-/g, '_'), q.format, rows, q.subject === 'area' ? 'MULTIPOLYGON' : 'GEOMETRY') };
}
