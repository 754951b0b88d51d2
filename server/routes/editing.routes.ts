// Editors' writes (activities, sites, publishing) and their drafts-included lists. Thin: parse, call
// the editing service (which checks the agency), answer.
import { Router, type Response } from 'express';
import { activityInputSchema, activityPatchSchema, apiPaths, idParamSchema, publishSchema, siteInputSchema, sitePatchSchema } from '../api';
import type { AppDeps } from '../app_deps';
import { addSite, createActivity, deleteSite, manageableActivities, manageableActivity, manageableActivitySites, publishIndicator, publishMeasurement, updateActivity, updateSite } from '../services/editing.service';
import { actorOf } from './authenticate';
import { activityIndicators } from '../services/indicators.service';
import { parseInput } from './validate';
import { limitsFor } from '../geometry/limits';
import type { AnalysisContext } from '../services/analysis_context';


export function editingRoutes({ database, analysis }: AppDeps & { analysis: AnalysisContext }): Router {
  const db = database.db;
  const geometryCheck = (res: Response) => ({ pool: analysis.geometry, limits: limitsFor(actorOf(res)), bufferM: analysis.siteBufferM });
  const id = (params: unknown) => parseInput(idParamSchema, params, 'path').id;
  return Router()
    .get(apiPaths.manageActivities, async (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await manageableActivities(db, actorOf(res)));
    })
    .get(apiPaths.manageActivity(':id'), async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await manageableActivity(db, actorOf(res), id(req.params)));
    })
    .get(apiPaths.manageActivityIndicators(':id'), async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const activityId = id(req.params);
      await manageableActivity(db, actorOf(res), activityId);
      res.json(await activityIndicators(db, activityId));
    })
    .get(apiPaths.manageActivitySites(':id'), async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.type('application/geo+json').send(JSON.stringify(await manageableActivitySites(db, actorOf(res), id(req.params))));
    })
    .post(apiPaths.activities, async (req, res) => {
      const created = await createActivity(db, actorOf(res), parseInput(activityInputSchema, req.body, 'body'));
      res.status(201).location(apiPaths.manageActivity(created.id)).json(created);
    })
    .post(apiPaths.activity(':id'), async (req, res) => {
      res.json(await updateActivity(db, actorOf(res), id(req.params), parseInput(activityPatchSchema, req.body, 'body')));
    })
    .post(apiPaths.activitySites(':id'), async (req, res) => {
      res.status(201).json(await addSite(db, actorOf(res), id(req.params), parseInput(siteInputSchema, req.body, 'body'), geometryCheck(res)));
    })
    .post(apiPaths.site(':id'), async (req, res) => {
      res.json(await updateSite(db, actorOf(res), id(req.params), parseInput(sitePatchSchema, req.body, 'body'), geometryCheck(res)));
    })
    .post(apiPaths.siteDelete(':id'), async (req, res) => {
      await deleteSite(db, actorOf(res), id(req.params));
      res.status(204).end();
    })
    .post(apiPaths.indicatorPublish(':id'), async (req, res) => {
      await publishIndicator(db, actorOf(res), id(req.params), parseInput(publishSchema, req.body, 'body').published);
      res.status(204).end();
    })
    .post(apiPaths.measurementPublish(':id'), async (req, res) => {
      await publishMeasurement(db, actorOf(res), id(req.params), parseInput(publishSchema, req.body, 'body').published);
      res.status(204).end();
    });
}
