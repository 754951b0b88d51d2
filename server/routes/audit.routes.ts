import { Router } from 'express';
import { apiPaths, auditQuerySchema } from '../api';
import type { AppDeps } from '../app_deps';
import { auditTrail } from '../services/audit.service';
import { requireRole } from './authenticate';
import { parseInput } from './validate';

/** The change history of one object, newest first: signed-in users only (it holds drafts). */
export function auditRoutes({ database }: AppDeps): Router {
  return Router().get(apiPaths.audit, requireRole('editor'), async (req, res) => {
    const q = parseInput(auditQuerySchema, req.query, 'query');
    res.json(await auditTrail(database.db, q.table, q.id, q.limit));
  });
}
