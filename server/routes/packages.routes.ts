// Offline area packages over HTTP: estimate, ask for one (a job builds it), list, download (the
// archive with range requests, so a browser can resume it and a desktop tool can read it in place),
// delete. Signed-in users, each their own packages. Thin: the work is in services/package_jobs.ts.
import { Router } from 'express';
import { apiPaths, idParamSchema, packageRequestSchema } from '../api';
import type { AppDeps } from '../app_deps';
import type { AnalysisContext } from '../services/analysis_context';
import type { PackageDeps } from '../services/area_packages.service';
import { deletePackage, estimateFor, onePackage, packageFileFor, packagesOf, requestPackage } from '../services/package_jobs';
import { userOf } from './authenticate';
import { parseInput } from './validate';

export function packageRoutes({ config, analysis, packages }: AppDeps & { analysis: AnalysisContext; packages: PackageDeps }): Router {
  const db = packages.db;
  return Router()
    .post(apiPaths.packageEstimate, async (req, res) => {
      userOf(res);
      res.json(await estimateFor(packages, parseInput(packageRequestSchema, req.body, 'body')));
    })
    .get(apiPaths.packages, async (_req, res) => {
      res.json(await packagesOf(db, userOf(res)));
    })
    .post(apiPaths.packages, async (req, res) => {
      const user = userOf(res);
      const p = await requestPackage(packages, analysis, user, parseInput(packageRequestSchema, req.body, 'body'));
      res.status(202).location(apiPaths.package(p.id)).json(p);
    })
    .get(apiPaths.package(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      res.json(await onePackage(db, userOf(res), id));
    })
    .get(apiPaths.packageArchive(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      const file = await packageFileFor(db, config.dataDir, userOf(res), id, 'archive');
      res.sendFile(file, { acceptRanges: true, headers: { 'content-type': 'application/vnd.pmtiles', 'cache-control': 'private, no-cache' } });
    })
    .get(apiPaths.packageJson(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      const file = await packageFileFor(db, config.dataDir, userOf(res), id, 'json');
      res.sendFile(file, { headers: { 'content-type': 'application/json', 'cache-control': 'private, no-cache' } });
    })
    .post(`${apiPaths.package(':id')}/delete`, async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      await deletePackage(db, config.dataDir, userOf(res), id);
      res.status(204).end();
    });
}
