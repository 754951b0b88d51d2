import { Router } from 'express';
import { apiPaths } from '../api';
import type { AppDeps } from '../app_deps';
import { HealthService } from '../services/health.service';

export function healthRoutes({ database }: AppDeps): Router {
  const health = new HealthService(database);
  health.prime();
  return Router().get(apiPaths.health, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await health.health());
  });
}
