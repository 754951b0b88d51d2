import { Router } from 'express';
import { refreshEverything } from '../services/analysis_context';
import { apiPaths, importFieldsSchema } from '../api';
import type { AppDeps } from '../app_deps';
import { importUploadedFile, listImportSources } from '../services/imports.service';
import { actorOf } from './authenticate';
import { requireAgency, requireRoleOf } from '../auth/actor';
import { agencyOfActivityCode } from '../services/access.service';
import { ForbiddenError } from '../errors';
import { receiveUpload } from './multipart_upload';
import { runAsBackground } from '../request_context';
import { parseInput } from './validate';
import { limitsFor } from '../geometry/limits';

export function importRoutes({ database, config, analysis }: AppDeps): Router {
  return Router()
    .get(apiPaths.imports, async (_req, res) => {
      res.json(await listImportSources(database.db));
    })
    .post(apiPaths.imports, async (req, res) => {
      const actor = actorOf(res);
      requireRoleOf(actor, 'editor'); // before reading a byte of the upload
      const upload = await receiveUpload(req, config.maxUploadBytes);
      try {
        const fields = parseInput(importFieldsSchema, upload.fields, 'import fields');
        // Area layers and the activity matrix are an admin's; an editor imports the sites of one of
        // their agencies' activities.
        if (fields.target !== 'sites' || !fields.activity) {
          if (requireRoleOf(actor, 'editor').role !== 'admin') throw new ForbiddenError('Editors import sites for one activity of their agency (target=sites with activity=<code>); area layers and the activity matrix are imported by an admin.');
        } else requireAgency(actor, await agencyOfActivityCode(database.db, fields.activity));
        // An import is long by nature (staged batches, relinking): no request statement timeout.
        const geometry = { geometryLimits: limitsFor(actor), ...(analysis ? { geometryPool: analysis.geometry } : {}) };
        const report = await runAsBackground(() => importUploadedFile(database.db, upload.file.path, upload.file.originalName, fields, geometry));
        res.status(201).json(report);
        if (analysis) await refreshEverything(database.db, analysis); // statistics follow the new geometries
      } finally {
        upload.cleanup();
      }
    });
}
