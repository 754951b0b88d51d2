import { Router } from 'express';
import { apiPaths, searchQuerySchema } from '../api';
import type { AppDeps } from '../app_deps';
import { search } from '../services/search.service';
import { parseInput } from './validate';

export function searchRoutes({ database }: AppDeps): Router {
  return Router().get(apiPaths.search, async (req, res) => {
    const query = parseInput(searchQuerySchema, req.query, 'query');
    res.json({ hits: await search(database.db, query) });
  });
}
