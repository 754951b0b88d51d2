import { Router } from 'express';
import { apiPaths } from '../api';
import type { AppDeps } from '../app';
import { getHealth } from '../services/health.service';

export function healthRoutes({ database }: AppDeps): Router {
  return Router().get(apiPaths.health, async (_req, res) => {
    res.json(await getHealth(database));
  });
}
