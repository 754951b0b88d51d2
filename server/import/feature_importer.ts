// Imports a feature file as areas of one kind or as sites of activities, all or nothing, without
// holding the database for the file's whole length: batches are parsed, repaired, reprojected and
// generalised in PostGIS into staging rows, each batch a short statement of its own (on the embedded
// database other requests run between them), and one short final transaction publishes the rows
// (upserts by source id: re-importing updates); the areas' generalised tile outlines follow in short
// statements. Nothing is visible before the publishing transaction commits; a failure, or a killed
// process, leaves only staging rows, which are dropped (after finishing the outlines of a run that
// had published).
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { statementRows } from '../db/statement_rows';
import { beginImportRun, createAreaKindIfNew, discardImportRun, dropAreaKindIfUnused, publishStagedAreas, publishStagedSites, saveImportReport, settleImportRun, stageBatch, stagedGeometryWkb, unstageRows, upsertImportSource, writePendingAreas, type StagedFeature, type StagedResult } from '../db/repositories/imports.repository';
import { activityIdByCode as findActivityIdByCode } from '../db/repositories/activities.repository';
import { areaKindCodes } from '../db/repositories/areas.repository';
import { CONCESSION_RING_M, GEOMETRY_LIMITS, type GeometryLimits } from '../geometry/limits';
import { GeometryPool } from '../geometry/geometry_pool';
import { vertexCountOf } from './vertex_count';
import { isKnownSrid } from './crs';
import { sha256File } from './hash_file';
import { openFeatureSource } from './open_source';
import { ImportError, type FeatureSource, type ImportOptions, type ImportReport, type RawFeature, type RawGeometry } from './types';
import type { ZipLimits } from './zip_extract';

export type ImportTarget =
  | { type: 'areas'; kind: string; /** Registers the kind first when it is new (kinds are data). */ createKind?: { en: string; es: string } }
  | { type: 'sites'; activityCode?: string; activityField?: string; siteKind?: string };

const NAME_FIELDS = ['name', 'nombre', 'nombre_anp', 'nomb', 'title', 'titulo', 'label'];

function pickName(props: Record<string, unknown>, nameField: string | undefined, fallback: string): string {
  if (nameField) return String(props[nameField] ?? fallback);
  const key = Object.keys(props).find((k) => NAME_FIELDS.includes(k.toLowerCase()));
  const value = key ? props[key] : undefined;
  return value === undefined || value === null || value === '' ? fallback : String(value);
}

/** JSON-safe attributes: the chosen ones (or all), without binary values. */
function pickAttributes(props: Record<string, unknown>, keep: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    if (keep && !keep.includes(k)) continue;
    if (v instanceof Uint8Array || typeof v === 'function') continue;
    out[k] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out;
}

function sourceIdOf(f: RawFeature, idField: string | undefined): string {
  if (idField) {
    const v = f.properties[idField];
    if (v === undefined || v === null || v === '') {
      const fields = idField in f.properties ? '' : ` (its fields are ${Object.keys(f.properties).join(', ')})`;
      throw new ImportError(`Feature ${f.index} has no value in the id field "${idField}"${fields}; every feature needs one.`);
    }
    // Shapefiles store numeric ids as reals ("6080546500.0"): the same id must give the same key.
    return String(v).replace(/^(-?\d+)\.0+$/, '$1');
  }
  return f.id !== undefined ? String(f.id) : String(f.index);
}

/** Refuses an unknown area kind up front (before any work); a kind to create is created at publish. */
async function checkTarget(db: Kysely<Database>, target: ImportTarget): Promise<void> {
  if (target.type !== 'areas') return;
  const kinds = await areaKindCodes(db);
  if (kinds.includes(target.kind)) return;
  if (target.createKind) {
    if (!/^[a-z][a-z0-9_]*$/.test(target.kind)) throw new ImportError(`An area kind is a lower-case code such as mining_area, not "${target.kind}".`);
    return;
  }
  throw new ImportError(`Unknown area kind "${target.kind}"; the kinds are ${kinds.join(', ')}. To add a kind, repeat the import with --create-kind "English label|Spanish label".`);
}

/** Creates the target's kind when asked and new; true when this call created it. */
async function createKindIfNew(db: Kysely<Database>, target: ImportTarget): Promise<boolean> {
  if (target.type !== 'areas' || !target.createKind) return false;
  return createAreaKindIfNew(db, { code: target.kind, en: target.createKind.en, es: target.createKind.es });
}

/** A kind created for an import that then failed goes with it (unless something else uses it meanwhile). */
async function dropKindIfUnused(db: Kysely<Database>, target: ImportTarget): Promise<void> {
  if (target.type === 'areas') await dropAreaKindIfUnused(db, target.kind);
}

async function activityIdByCode(db: Kysely<Database>, cache: Map<string, number>, code: string, index: number): Promise<number> {
  const cached = cache.get(code);
  if (cached !== undefined) return cached;
  const id = await findActivityIdByCode(db, code);
  if (id === undefined) throw new ImportError(`Feature ${index}: no activity with code "${code}"; import the activity matrix first or fix the code.`);
  cache.set(code, id);
  return id;
}

function emptyReport(file: string, hash: string, source: FeatureSource, target: ImportTarget): Omit<ImportReport, 'importSourceId' | 'elapsedMs'> {
  return {
    file,
    contentHash: hash,
    format: source.format,
    layer: source.layer,
    srid: source.srid,
    sridSource: source.sridSource,
    target: target.type === 'areas' ? `areas:${target.kind}` : 'sites',
    features: 0,
    inserted: 0,
    updated: 0,
    repaired: [],
    forcedMulti: 0,
    skippedNullGeometry: [],
    skippedEmptyGeometry: [],
    skippedWrongGeometryType: [],
  };
}

function tally(report: ReturnType<typeof emptyReport> & { writable: number }, results: StagedResult[], target: ImportTarget, layer: string): void {
  for (const r of results) {
    if (r.outOfRange) {
      throw new ImportError(
        `Feature ${r.index} of ${layer} lies outside longitude/latitude range after reprojection from EPSG:${report.srid} (${report.sridSource}), bounds ${r.bounds}. ` +
          'The coordinate system is wrong or missing: set the right one with --srid <EPSG code>.',
      );
    }
    if (r.inputEmpty || (r.emptyAfterRepair && !['POINT', 'LINESTRING', 'MULTIPOINT', 'MULTILINESTRING'].includes(r.inputType))) {
      report.skippedEmptyGeometry.push(r.index);
      continue;
    }
    if (target.type === 'areas' && !['POLYGON', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION'].includes(r.inputType)) {
      report.skippedWrongGeometryType.push(r.index);
      continue;
    }
    if (r.emptyAfterRepair) {
      report.skippedWrongGeometryType.push(r.index);
      continue;
    }
    if (!r.wasValid) report.repaired.push(r.index);
    if (target.type === 'areas' && r.inputType === 'POLYGON') report.forcedMulti++;
    report.writable++;
  }
}

/**
 * Imports `file` wholly or not at all. Throws ImportError (nothing written) for anything the user
 * must fix; returns the report, which is also stored with the provenance row.
 */
export async function importFeatureFile(
  db: Kysely<Database>,
  file: string,
  target: ImportTarget,
  options: ImportOptions & { layer?: string; zipLimits?: ZipLimits; geometryLimits?: GeometryLimits; geometryPool?: GeometryPool } = {},
): Promise<ImportReport> {
  const started = Date.now();
  const displayName = options.fileName ?? path.basename(file);
  const limits = options.geometryLimits ?? GEOMETRY_LIMITS.admin;
  const hash = await sha256File(file);
  const source = await openFeatureSource(db, file, options);
  try {
    if (!(await isKnownSrid(db, source.srid))) {
      throw new ImportError(`EPSG:${source.srid} (from ${source.sridSource}) is not a coordinate system PostGIS knows; set the right one with --srid <EPSG code>.`);
    }
    if (target.type === 'sites' && !target.activityCode && !target.activityField) {
      throw new ImportError('Sites belong to activities: give --activity <code> for the whole file, or --activity-field <field> naming the column that holds each site\'s activity code.');
    }
    await checkTarget(db, target);
    // Large features are checked and repaired on the geometry pool (with its time limit), not in PostGIS.
    const ownPool = options.geometryPool ? undefined : new GeometryPool();
    const pool = options.geometryPool ?? ownPool!;
    const runId = randomUUID();
    await beginImportRun(db, { id: runId, host: os.hostname(), pid: process.pid, kind: target.type === 'areas' ? target.kind : null });
    let createdKind = false;
    try {
      const report = { ...emptyReport(displayName, hash, source, target), writable: 0 };
      await stageFeatures(db, runId, source, target, options, { limits, pool }, report).finally(() => ownPool?.close());
      options.onProgress?.({ ...source.progress(), features: report.features });
      if (report.writable === 0) {
        throw new ImportError(`${displayName} has no importable ${target.type === 'areas' ? 'polygon' : ''} features (${report.features} read); nothing was imported.`);
      }
      if (target.type === 'areas') {
        // New areas go in now, in short transactions, invisible until the publishing one below.
        createdKind = await createKindIfNew(db, target);
        await writePendingAreas(db, { runId, kind: target.kind });
      }
      // The one transaction: provenance, the update of existing areas (or the sites' upsert), publishing, the report.
      const full = await db.transaction().execute(async (trx) => {
        const importSourceId = await upsertImportSource(trx, {
          fileName: displayName, contentHash: hash, layer: source.layer, licence: options.licence ?? null,
          source: options.source ?? null, target: target.type === 'areas' ? `areas:${target.kind}` : 'sites', format: source.format, srid: source.srid,
        });
        const written = target.type === 'areas'
          ? await publishStagedAreas(trx, { runId, kind: target.kind, importSourceId })
          : await publishStagedSites(trx, { runId, kind: target.siteKind ?? 'site', importSourceId });
        if (written.heldElsewhere) {
          throw new ImportError(`${written.heldElsewhere} of the areas in ${displayName} are being written by another import of ${target.type === 'areas' ? target.kind : 'sites'} that has not finished; nothing was imported. Import again once it has.`);
        }
        const { writable: _, ...counts } = report;
        const full: ImportReport = { importSourceId, ...counts, inserted: written.inserted, updated: written.updated, elapsedMs: Date.now() - started };
        await saveImportReport(trx, importSourceId, full);
        return full;
      });
      // Then the new areas' links and provenance and the replaced areas' tile outlines, in short statements.
      await settleImportRun(db, runId);
      return full;
    } finally {
      await discardImportRun(db, runId);
      if (createdKind) await dropKindIfUnused(db, target);
    }
  } finally {
    await source.close();
  }
}

/** Reads every feature, checks ids and sizes, and stages them batch by batch (one batch written while the next is read). */
async function stageFeatures(
  db: Kysely<Database>,
  runId: string,
  source: FeatureSource,
  target: ImportTarget,
  options: ImportOptions,
  geometry: { limits: GeometryLimits; pool: GeometryPool },
  report: ReturnType<typeof emptyReport> & { writable: number },
): Promise<void> {
  const { limits } = geometry;
  // Features repaired on the pool: PostGIS then sees them valid, but the report lists them as repaired.
  const repairedOnPool = new Set<number>();
  const seen = new Map<string, number>();
  const batchRows = statementRows(db).stage;
  // Large areas that needed the worker's repair: their ring buffer is tried on the worker too (the
  // buffer of a repaired spiky polygon is what ran PostGIS out of memory; valid ones are not tried,
  // which keeps real layers such as ecoregions as fast to import as before).
  const intricate: number[] = [];
  const activityIds = new Map<string, number>();
  // Sites are batched per activity, since one batch stages rows of one activity.
  let batch: { activityId: number; rows: StagedFeature[] } | undefined;
  let inFlight: Promise<void> | undefined;
  const flush = async () => {
    if (!batch || batch.rows.length === 0) return;
    const { activityId, rows } = batch;
    batch.rows = [];
    if (inFlight) await inFlight;
    inFlight = writeBatch(db, runId, target, source, activityId, rows).then((results) =>
      tally(report, results.map((r) => (repairedOnPool.has(r.index) ? { ...r, wasValid: false } : r)), target, source.layer),
    );
    inFlight.catch(() => undefined); // observed at the next await; meanwhile not an unhandled rejection
  };
  try {
    for await (const f of source.features) {
      options.signal?.throwIfAborted();
      report.features++;
      if (!f.geometry) {
        report.skippedNullGeometry.push(f.index);
        continue;
      }
      // Bounded before PostGIS parses or repairs it.
      const vertices = vertexCountOf(f.geometry);
      if (vertices > limits.vertices) {
        throw new ImportError(`Feature ${f.index} of ${source.layer} has ${vertices.toLocaleString('en')} vertices (the limit is ${limits.vertices.toLocaleString('en')}). Simplify the layer (e.g. QGIS "Simplify" or mapshaper -simplify) and import it again.`);
      }
      let raw = f.geometry;
      if (vertices > POOL_REPAIR_VERTICES && raw.kind !== 'wkt') {
        const repaired = await repairOnPool(geometry.pool, raw, `Feature ${f.index} of ${source.layer}`);
        if (repaired) {
          raw = repaired;
          repairedOnPool.add(f.index);
          if (target.type === 'areas') intricate.push(f.index);
        }
      }
      const sourceId = sourceIdOf(f, options.idField);
      let activityId = 0;
      if (target.type === 'sites') {
        const code = target.activityCode ?? String(f.properties[target.activityField!] ?? '');
        activityId = await activityIdByCode(db, activityIds, code, f.index);
      }
      const key = `${activityId}/${sourceId}`;
      const previous = seen.get(key);
      if (previous !== undefined) {
        throw new ImportError(`Features ${previous} and ${f.index} have the same source id "${sourceId}"; choose an id field with unique values (--id-field).`);
      }
      seen.set(key, f.index);
      if (batch && (batch.activityId !== activityId || batch.rows.length >= batchRows)) await flush();
      batch = batch && batch.activityId === activityId ? batch : { activityId, rows: [] };
      batch.rows.push({
        index: f.index,
        sourceId,
        name: pickName(f.properties, options.nameField, `${source.layer} ${sourceId}`),
        properties: pickAttributes(f.properties, options.attributes),
        geometryKind: raw.kind,
        geometry: raw.kind === 'wkb' ? raw.hex : raw.text,
      });
      if (report.features % 200 === 0) options.onProgress?.({ ...source.progress(), features: report.features });
    }
    await flush();
    if (inFlight) await inFlight;
  } finally {
    // Never leave a batch statement running behind a failure.
    await inFlight?.catch(() => undefined);
  }
  await checkRingBuffers(db, runId, intricate, geometry.pool, source.layer);
}

/**
 * Buffers each repaired large staged area at the concession ring's distance on the geometry pool, under
 * its time limit, so that no stored area can make the statistics' PostGIS buffer run away (GEOS's
 * buffer there cannot be interrupted: a repaired spiky polygon took a backend past 7 GB).
 */
async function checkRingBuffers(db: Kysely<Database>, runId: string, indices: number[], pool: GeometryPool, layer: string): Promise<void> {
  for (let i = 0; i < indices.length; i += 20) {
    for (const row of await stagedGeometryWkb(db, runId, indices.slice(i, i + 20))) {
      try {
        await pool.run({ geometry: null, wkbHex: row.wkb, bufferM: CONCESSION_RING_M, polygonsOnly: true });
      } catch (e) {
        const why = (e as Error).message.replace(/ Simplify it.*$/, '');
        throw new ImportError(`Feature ${row.idx} of ${layer} is too intricate to analyse: its ${CONCESSION_RING_M / 1000} km ring could not be computed (${why}). Simplify it (e.g. QGIS "Simplify" or mapshaper -simplify) and import again; nothing was imported.`);
      }
    }
  }
}

/** Above this many vertices a feature's validity and repair run on the geometry pool, under its time limit. */
const POOL_REPAIR_VERTICES = 2000;

/** The feature repaired (as WKB in its own CRS) when it was invalid; undefined when it was valid. */
async function repairOnPool(pool: GeometryPool, raw: Exclude<RawGeometry, { kind: 'wkt' }>, what: string): Promise<RawGeometry | undefined> {
  try {
    const r = await pool.run(raw.kind === 'wkb' ? { geometry: null, wkbHex: raw.hex, bufferM: 0, polygonsOnly: false, answerWkb: true } : { geometry: JSON.parse(raw.text), bufferM: 0, polygonsOnly: false, answerWkb: true });
    return r.wkbHex ? { kind: 'wkb', hex: r.wkbHex } : undefined;
  } catch (e) {
    throw new ImportError(`${what}: ${(e as Error).message}`);
  }
}

async function writeBatch(db: Kysely<Database>, runId: string, target: ImportTarget, source: FeatureSource, activityId: number, rows: StagedFeature[]): Promise<StagedResult[]> {
  const run = (r: StagedFeature[]) => stageBatch(db, { runId, target: target.type, activityId: target.type === 'sites' ? activityId : null, srid: source.srid, rows: r });
  // A geometry PostGIS cannot parse fails the whole statement (which then wrote nothing); staging
  // the batch's rows one by one finds which. The embedded PostGIS has been seen to return no rows
  // instead of an error for some degenerate geometries, so a short answer is treated like an error.
  const complete = (results: StagedResult[], expected: number) => {
    if (results.length !== expected) throw new Error(`PostGIS returned ${results.length} results for ${expected} features`);
    return results;
  };
  try {
    return complete(await run(rows), rows.length);
  } catch (batchError) {
    await unstageRows(db, runId, rows.map((r) => r.index));
    const results: StagedResult[] = [];
    for (const row of rows) {
      try {
        results.push(...complete(await run([row]), 1));
      } catch (e) {
        throw new ImportError(`Feature ${row.index} of ${source.layer} has a geometry PostGIS cannot read: ${(e as Error).message}. Fix or remove that feature.`);
      }
    }
    return results;
  }
}
