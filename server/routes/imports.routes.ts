import { Router } from 'express';
import { refreshEverything } from '../services/analysis_context';
import { apiPaths, importFieldsSchema } from '../api';
import type { AppDeps } from '../app';
import { importUploadedFile, listImportSources } from '../services/imports.service';
import { requireAdminToken } from './admin_token';
import { receiveUpload } from './multipart_upload';
import { parseInput } from './validate';

export function importRoutes({ database, config, analysis }: AppDeps): Router {
  return Router()
    .get(apiPaths.imports, async (_req, res) => {
      res.json(await listImportSources(database.db));
    })
    .post(apiPaths.imports, requireAdminToken(config.adminToken), async (req, res) => {
      const upload = await receiveUpload(req, config.maxUploadBytes);
      try {
        const fields = parseInput(importFieldsSchema, upload.fields, 'import fields');
        const report = await importUploadedFile(database.db, upload.file.path, upload.file.originalName, fields);
        res.status(201).json(report);
        if (analysis) await refreshEverything(database.db, analysis); // statistics follow the new geometries
      } finally {
        upload.cleanup();
      }
    });
}
