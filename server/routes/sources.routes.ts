import { Router } from 'express';
import { apiPaths } from '../api';
import type { AppDeps } from '../app_deps';
import { listSources } from '../services/sources.service';

/** The real sources, their licences and their last fetch (public: attribution is public). */
export function sourcesRoutes({ database }: AppDeps): Router {
  return Router().get(apiPaths.sources, async (_req, res) => {
    res.json(await listSources(database.db));
  });
}
