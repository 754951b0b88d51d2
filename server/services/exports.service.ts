// Exports of a selection of areas, sites or activities, and of stored statistics with their
// subjects: GeoJSON and CSV streamed in batches (any size), GeoPackage and zipped Shapefile built
// in memory (capped, with a message saying how to narrow the selection).
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Feature } from 'geojson';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../db/schema';
import type { ExportQuery, StatisticsExportQuery } from '../api';
import { AppError } from '../errors';
import { collection, whereOf, type CollectionDef } from './ogc_features.service';
import { findStats } from '../db/repositories/loss_statistics.repository';
import { resolveLayers, statKey } from './loss_layers';
import { writeGeoPackage, type GpkgFeature } from '../exports/geopackage';
import { writeShapefileZip } from '../exports/shapefile';

const BATCH = 2000;
/** GeoPackage and Shapefile are assembled in memory: beyond this, narrow the selection (bbox, kind) or use GeoJSON/CSV. */
export const MAX_IN_MEMORY_FEATURES = 250_000;

export const EXPORT_TYPES = {
  geojson: { type: 'application/geo+json', ext: 'geojson' },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  gpkg: { type: 'application/geopackage+sqlite3', ext: 'gpkg' },
  shp: { type: 'application/zip', ext: 'zip' },
} as const;

interface Row {
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

async function selection(db: Kysely<Database>, q: ExportQuery): Promise<{ c: CollectionDef; where: RawBuilder<unknown> }> {
  const c = await collection(db, q.what === 'areas' ? q.kind ?? 'areas' : q.what);
  const filters: Record<string, string> = {};
  if (q.priority_area) filters.priority_area = q.priority_area;
  if (q.status) filters.status = q.status;
  if (q.activity_id !== undefined && q.what === 'areas') throw new AppError('bad_request', 'activity_id selects sites or activities, not areas.');
  if (q.activity_id !== undefined && q.what === 'sites') filters.activity_id = String(q.activity_id);
  let where = whereOf(c, { ...(q.bbox ? { bbox: q.bbox } : {}), limit: 1, offset: 0, filters });
  if (q.activity_id !== undefined && q.what === 'activities') where = sql`${where} AND t.id = ${q.activity_id}`;
  if (q.ids) where = sql`${where} AND ${c.id_expr} = ANY(${q.ids}::int[])`;
  return { c, where };
}

/** The one geometry encoding each format needs: GeoJSON (GeoJSON, Shapefile), WKT (CSV), WKB + bbox (GeoPackage). */
type Encoding = 'geojson' | 'wkt' | 'wkb';
const ENCODING: Record<ExportQuery['format'], Encoding> = { geojson: 'geojson', csv: 'wkt', gpkg: 'wkb', shp: 'geojson' };

async function* batches(db: Kysely<Database>, c: CollectionDef, where: RawBuilder<unknown>, encoding: Encoding): AsyncGenerator<Row[]> {
  let last = -1;
  const wkb = encoding === 'wkb';
  for (;;) {
    const rows = (
      await sql<Row>`SELECT ${c.id_expr} AS id, (${c.properties})::text AS p,
          ${encoding === 'geojson' ? sql`ST_AsGeoJSON(${c.geom}, 7)` : sql`NULL::text`} AS g,
          ${encoding === 'wkt' ? sql`ST_AsText(${c.geom}, 7)` : sql`NULL::text`} AS wkt,
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

async function write(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Streams GeoJSON or CSV; returns the number of features written. */
async function streamText(db: Kysely<Database>, c: CollectionDef, where: RawBuilder<unknown>, format: 'geojson' | 'csv', out: Writable): Promise<number> {
  let n = 0;
  if (format === 'geojson') {
    await write(out, '{"type":"FeatureCollection","features":[');
    for await (const rows of batches(db, c, where, 'geojson')) {
      await write(out, rows.map((r) => `${n++ ? ',' : ''}{"type":"Feature","id":${r.id},"geometry":${r.g ?? 'null'},"properties":${r.p}}`).join(''));
    }
    await write(out, ']}');
    return n;
  }
  // CSV: one column per property the selection has (read first, so the header comes first), the geometry as WKT.
  const keys = (await sql<{ k: string }>`SELECT DISTINCT jsonb_object_keys(${c.properties}) AS k FROM ${c.from} WHERE ${where} ORDER BY 1`.execute(db)).rows.map((r) => r.k);
  await write(out, stringify([['id', ...keys, 'wkt']]));
  for await (const rows of batches(db, c, where, 'wkt')) {
    const lines = rows.map((r) => {
      const p = JSON.parse(r.p) as Record<string, unknown>;
      return [r.id, ...keys.map((k) => (p[k] === null || p[k] === undefined ? '' : typeof p[k] === 'object' ? JSON.stringify(p[k]) : p[k])), r.wkt ?? ''];
    });
    n += rows.length;
    await write(out, stringify(lines as unknown[][]));
  }
  return n;
}

async function collect(db: Kysely<Database>, c: CollectionDef, where: RawBuilder<unknown>, encoding: Encoding): Promise<(Row & { props: Record<string, unknown> })[]> {
  const count = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${c.from} WHERE ${where}`.execute(db)).rows[0]!.n;
  if (count > MAX_IN_MEMORY_FEATURES) throw new AppError('payload_too_large', `${count} features are too many for a GeoPackage or Shapefile built in memory (at most ${MAX_IN_MEMORY_FEATURES}): narrow the selection with bbox or kind, or export GeoJSON or CSV, which stream.`);
  const all: (Row & { props: Record<string, unknown> })[] = [];
  for await (const rows of batches(db, c, where, encoding)) for (const r of rows) all.push({ ...r, props: JSON.parse(r.p) as Record<string, unknown> });
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
  const { c, where } = await selection(db, q);
  if (q.format === 'geojson' || q.format === 'csv') {
    // A bad filter fails in the first query; the headers wait until then.
    await sql`SELECT 1 FROM ${c.from} WHERE ${where} LIMIT 1`.execute(db);
    start();
    await streamText(db, c, where, q.format, out);
    out.end();
    return;
  }
  const rows = await collect(db, c, where, ENCODING[q.format]);
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
    for await (const rows of batches(db, source, sql`${source.where} AND ${source.id_expr} = ANY(${chunk}::int[])`, ENCODING[q.format])) for (const r of rows) subjects.set(r.id, { ...r, props: JSON.parse(r.p) as Record<string, unknown> });
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
