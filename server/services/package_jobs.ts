// A user's offline packages: asked for (estimated, then built as a job with progress), listed,
// downloaded (the archive with range requests, the JSON), deleted. The build is
// area_packages.service.ts; this is who may do what, the limits per user, and where files live.
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { AreaPackage, PackageRequest } from '../api';
import { apiPaths } from '../api/paths';
import type { Database } from '../db/schema';
import { AppError, NotFoundError } from '../errors';
import type { UserActor } from '../auth/actor';
import { countBuildingPackages, deletePackageRow, failPackage, finishPackage, insertPackage, packageById, packagesOfUser, setPackageJob } from '../db/repositories/area_packages.repository';
import { requirePublished } from './access.service';
import { buildPackage, estimatePackage, sizePackage, type PackageDeps, type PackageSpec } from './area_packages.service';
import type { AnalysisContext } from './analysis_context';

export const PACKAGE_JOB = 'area-package';
/** Packages a user keeps on the server, and builds a user may have running at once. */
const MAX_PACKAGES_PER_USER = 20;
const MAX_BUILDING_PER_USER = 2;

const specOf = (r: PackageRequest): PackageSpec => ({ subject: r.subject, id: r.id, bbox: r.bbox, minZoom: r.min_zoom, maxZoom: r.max_zoom });

export const packageFile = (dataDir: string, id: number) => path.join(dataDir, 'packages', `${id}.pmtiles`);
const jsonFileOf = (dataDir: string, id: number) => path.join(dataDir, 'packages', `${id}.json`);

async function checkVisible(db: Kysely<Database>, r: PackageRequest): Promise<void> {
  if (r.subject !== 'box' && r.id !== undefined) await requirePublished(db, r.subject, r.id);
}

export async function estimateFor(deps: PackageDeps, r: PackageRequest) {
  await checkVisible(deps.db, r);
  return estimatePackage(deps, specOf(r));
}

/** Records the package and enqueues its build; the answer carries the job to follow. */
export async function requestPackage(deps: PackageDeps, analysis: AnalysisContext, user: UserActor, r: PackageRequest): Promise<AreaPackage> {
  await checkVisible(deps.db, r);
  // Refuses an unknown subject or too many tiles before anything is stored; draws no tile.
  const { resolved } = await sizePackage(deps, specOf(r));
  if ((await packagesOfUser(deps.db, user.id)).length >= MAX_PACKAGES_PER_USER) throw new AppError('conflict', `You keep ${MAX_PACKAGES_PER_USER} packages on the server already: delete one first.`);
  if ((await countBuildingPackages(deps.db, user.id)) >= MAX_BUILDING_PER_USER) throw new AppError('conflict', `${MAX_BUILDING_PER_USER} of your packages are being built: wait for one to finish.`);
  const { id } = await insertPackage(deps.db, { user_id: user.id, subject: r.subject, subject_id: r.id ?? null, name: resolved.name, min_zoom: r.min_zoom, max_zoom: r.max_zoom, bounds: resolved.bounds });
  const job = await analysis.jobs.enqueue(PACKAGE_JOB, { package_id: id, request: r, created_by: user.email });
  await setPackageJob(deps.db, id, job.id);
  return (await packageOf(deps.db, user, id))!;
}

type Row = NonNullable<Awaited<ReturnType<typeof packageById>>>;
const shape = (p: Row): AreaPackage => ({
  id: p.id, subject: p.subject, subject_id: p.subject_id, name: p.name, min_zoom: p.min_zoom, max_zoom: p.max_zoom, bounds: p.bounds.map(Number),
  status: p.status, job_id: p.job_id, tiles: p.tiles, bytes: p.bytes === null ? null : Number(p.bytes), sha256: p.sha256, message: p.message,
  created_at: new Date(p.created_at).toISOString(), built_at: p.built_at ? new Date(p.built_at).toISOString() : null,
  archive_url: p.status === 'ready' ? apiPaths.packageArchive(p.id) : null, json_url: p.status === 'ready' ? apiPaths.packageJson(p.id) : null,
});

export async function packagesOf(db: Kysely<Database>, user: UserActor): Promise<AreaPackage[]> {
  return (await packagesOfUser(db, user.id)).map(shape);
}

async function packageOf(db: Kysely<Database>, user: UserActor, id: number): Promise<AreaPackage | undefined> {
  const p = await packageById(db, id);
  return p && p.user_id === user.id ? shape(p) : undefined;
}

export async function onePackage(db: Kysely<Database>, user: UserActor, id: number): Promise<AreaPackage> {
  const p = await packageOf(db, user, id);
  if (!p) throw new NotFoundError(`No package ${id} of yours.`);
  return p;
}

/** The archive or JSON file of a ready package of the user's. */
export async function packageFileFor(db: Kysely<Database>, dataDir: string, user: UserActor, id: number, which: 'archive' | 'json'): Promise<string> {
  const p = await onePackage(db, user, id);
  if (p.status !== 'ready') throw new AppError('conflict', `Package ${id} is ${p.status}${p.message ? `: ${p.message}` : ''}.`);
  const file = which === 'archive' ? packageFile(dataDir, id) : jsonFileOf(dataDir, id);
  if (!fs.existsSync(file)) throw new NotFoundError(`The file of package ${id} is gone from the server: ask for it again.`);
  return file;
}

export async function deletePackage(db: Kysely<Database>, dataDir: string, user: UserActor, id: number): Promise<void> {
  const p = await onePackage(db, user, id);
  if (p.status === 'building') throw new AppError('conflict', `Package ${id} is being built: delete it once it is done.`);
  await deletePackageRow(db, id);
  fs.rmSync(packageFile(dataDir, id), { force: true });
  fs.rmSync(jsonFileOf(dataDir, id), { force: true });
}

export function registerPackageJob(deps: PackageDeps, analysis: AnalysisContext, dataDir: string): void {
  analysis.jobs.register(PACKAGE_JOB, async (params, progress) => {
    const id = Number(params.package_id);
    const r = params.request as PackageRequest;
    try {
      const built = await buildPackage(deps, specOf(r), packageFile(dataDir, id), progress, { id, createdBy: String(params.created_by ?? '') });
      await finishPackage(deps.db, id, built);
      return `package ${id}: ${built.tiles} tiles, ${(built.bytes / 1e6).toFixed(2)} MB`;
    } catch (e) {
      await failPackage(deps.db, id, (e as Error).message);
      throw e;
    }
  });
}
