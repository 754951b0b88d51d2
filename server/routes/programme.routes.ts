import { Router } from 'express';
import { apiPaths } from '../api';
import type { AppDeps } from '../app_deps';
import { getProgramme } from '../services/programme.service';

export function programmeRoutes({ database }: AppDeps): Router {
  return Router().get(apiPaths.programme, async (_req, res) => {
    res.json(await getProgramme(database.db));
  });
}
