import { Router } from 'express';
import { apiPaths, areasQuerySchema, sitesQuerySchema } from '../api';
import type { AppDeps } from '../app_deps';
import { getAreaCollection, getAreaKinds, getContextLayers, getSiteCollection } from '../services/features.service';
import { parseInput } from './validate';

const geojson = 'application/geo+json';

export function featureRoutes({ database }: AppDeps): Router {
  return Router()
    .get(apiPaths.areas, async (req, res) => {
      const query = parseInput(areasQuerySchema, req.query, 'query');
      res.type(geojson).send(JSON.stringify(await getAreaCollection(database.db, query)));
    })
    .get(apiPaths.areaKinds, async (_req, res) => {
      res.json(await getAreaKinds(database.db));
    })
    .get(apiPaths.contextLayers, async (_req, res) => {
      res.json(await getContextLayers(database.db));
    })
    .get(apiPaths.sites, async (req, res) => {
      const query = parseInput(sitesQuerySchema, req.query, 'query');
      res.type(geojson).send(JSON.stringify(await getSiteCollection(database.db, query)));
    });
}
