import os from 'node:os';
import type { Kysely } from 'kysely';
import { discardImportRun, listImportSourceRows, settleImportRun, staleImportRuns } from '../db/repositories/imports.repository';
import { isAlive } from '../db/embedded_lock';
import type { GeometryLimits } from '../geometry/limits';
import type { GeometryPool } from '../geometry/geometry_pool';
import type { ImportFields, ImportSource } from '../api';
import type { Database } from '../db/schema';
import { importActivityMatrix } from '../import/activity_matrix';
import { importFeatureFile } from '../import/feature_importer';
import { importPlan } from '../import/import_request';

/** Runs the same import as the CLI on an uploaded file; throws ImportError for input to fix. */
export async function importUploadedFile(
  db: Kysely<Database>,
  filePath: string,
  originalName: string,
  f: ImportFields,
  geometry: { geometryLimits?: GeometryLimits; geometryPool?: GeometryPool } = {},
): Promise<object> {
  const plan = importPlan(f, originalName);
  if (plan.kind === 'activities') return importActivityMatrix(db, filePath, plan.options);
  return importFeatureFile(db, filePath, plan.target, { ...plan.options, ...geometry });
}

/** Every import's provenance, newest first. */
export async function listImportSources(db: Kysely<Database>): Promise<ImportSource[]> {
  const rows = await listImportSourceRows(db);
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    contentHash: r.content_hash,
    layer: r.layer,
    licence: r.licence,
    source: r.source,
    target: r.target,
    format: r.format,
    srid: r.srid,
    importedAt: new Date(r.imported_at).toISOString(),
    report: r.report,
  }));
}

/**
 * Imports whose process died (a kill, a crash), at start-up: one that had published is settled (its
 * links, provenance and tile outlines, what it had left to do); one that had not loses its invisible
 * rows; then every such run's staging rows are dropped.
 */
export async function dropAbandonedImports(db: Kysely<Database>): Promise<number> {
  const runs = await staleImportRuns(db, os.hostname(), isAlive);
  for (const run of runs) {
    if (run.published) await settleImportRun(db, run.id);
    await discardImportRun(db, run.id);
  }
  return runs.length;
}
