// OGC API - Features at /ogc (GDAL: ogrinfo OAPIF:http://host/ogc; QGIS: add a WFS / OGC API layer).
import { Router, type Request } from 'express';
import type { AppDeps } from '../app_deps';
import { ogcItemParamsSchema } from '../api';
import { parseInput } from './validate';
import { describeCollection, item, items, landingPage, listCollections, OGC_CONFORMANCE, parseItemsQuery } from '../services/ogc_features.service';

const base = (req: Request) => `${req.protocol}://${req.get('host')}`;

export function ogcRoutes({ database }: AppDeps): Router {
  const db = database.db;
  return Router()
    .get('/ogc', (req, res) => {
      res.json(landingPage(base(req)));
    })
    .get('/ogc/conformance', (_req, res) => {
      res.json({ conformsTo: OGC_CONFORMANCE });
    })
    .get('/ogc/collections', async (req, res) => {
      res.json(await listCollections(db, base(req)));
    })
    .get('/ogc/collections/:id', async (req, res) => {
      res.json(await describeCollection(db, String(req.params.id), base(req)));
    })
    .get('/ogc/collections/:id/items', async (req, res) => {
      const q = parseItemsQuery(req.query as Record<string, unknown>);
      const raw = req.originalUrl.split('?')[1] ?? '';
      res.type('application/geo+json').send(await items(db, String(req.params.id), q, base(req), raw));
    })
    .get('/ogc/collections/:id/items/:featureId', async (req, res) => {
      const { id, featureId } = parseInput(ogcItemParamsSchema, req.params, 'path');
      res.type('application/geo+json').send(await item(db, id, featureId, base(req)));
    });
}
