import { Router } from 'express';
import { activitiesQuerySchema, apiPaths, idParamSchema } from '../api';
import type { AppDeps } from '../app_deps';
import { getActivities, getActivityDetail } from '../services/activities.service';
import { parseInput } from './validate';

export function activityRoutes({ database }: AppDeps): Router {
  return Router()
    .get(apiPaths.activities, async (req, res) => {
      res.json(await getActivities(database.db, parseInput(activitiesQuerySchema, req.query, 'query')));
    })
    .get(apiPaths.activity(':id'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      res.json(await getActivityDetail(database.db, id));
    });
}
