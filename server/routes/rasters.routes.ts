import { Router } from 'express';
import { apiPaths, rasterRegisterFieldsSchema, rasterTileParamsSchema, rasterTileQuerySchema } from '../api';
import type { AppDeps } from '../app_deps';
import { BadRequestError, NotFoundError } from '../errors';
import { rasterTilePng, prefetchRasterTile, type RasterStores } from '../services/rasters.service';
import { parseInput } from './validate';
import fs from 'node:fs';
import path from 'node:path';
import { requireRole } from './authenticate';
import { receiveUpload } from './multipart_upload';
import { runAsBackground } from '../request_context';
import { registerRasterLayer, type LayerAbout } from '../services/raster_layers.service';
import { refreshEverything } from '../services/analysis_context';

/**
 * What "nothing here" means for raster tiles: a tile outside the layer's extent is 404; a tile inside
 * it with no loss in the chosen years is 204 No Content (MapLibre draws nothing, and no bytes move).
 */
function aboutOf(fields: { source?: string | undefined; licence?: string | undefined; description?: string | undefined; method_note?: 'hansen' | 'none' | undefined }): LayerAbout {
  return { ...(fields.source ? { source: fields.source } : {}), ...(fields.licence ? { licence: fields.licence } : {}), ...(fields.description ? { description: fields.description } : {}), ...(fields.method_note ? { methodNote: fields.method_note } : {}) };
}

export function rasterRoutes({ rasters, config, database, analysis }: AppDeps & { rasters: RasterStores }): Router {
  return Router()
    .get(apiPaths.rasters, async (_req, res) => {
      res.json(await rasters.list());
    })
    // Register a layer from uploaded GeoTIFFs (several = one mosaic); the sources are kept beside the store.
    .post(apiPaths.rasters, requireRole('admin'), async (req, res) => {
      const upload = await receiveUpload(req, config.maxUploadBytes, 64);
      const sources = path.join(config.dataDir, 'raster-sources', `${Date.now()}-${process.pid}`);
      try {
        const fields = parseInput(rasterRegisterFieldsSchema, upload.fields, 'raster fields');
        fs.mkdirSync(sources, { recursive: true });
        const files = upload.files.map((f, i) => {
          const target = path.join(sources, `${i}-${f.originalName}`);
          fs.renameSync(f.path, target);
          return target;
        });
        const layer = await runAsBackground(() => registerRasterLayer(database.db, { files, kind: fields.kind, name: fields.name, ...(fields.version ? { version: fields.version } : {}), ...(fields.treecover ? { treecover: fields.treecover } : {}), about: aboutOf(fields), dataDir: config.dataDir }));
        rasters.forget(layer.name);
        res.status(201).json(layer);
        if (analysis) await refreshEverything(database.db, analysis); // statistics follow the new raster
      } catch (e) {
        fs.rmSync(sources, { recursive: true, force: true });
        throw e;
      } finally {
        upload.cleanup();
      }
    })
    .get('/tiles/rasters/:layer/:z/:x/:y.png', async (req, res) => {
      const { layer, z, x, y } = parseInput(rasterTileParamsSchema, req.params, 'path');
      const q = parseInput(rasterTileQuerySchema, req.query, 'query');
      const store = await rasters.get(layer);
      if (store.meta.kind === 'alert') throw new BadRequestError(`${layer} is an alert layer: its tiles are at /tiles/alerts/${layer}/{z}/{x}/{y}.png.`);
      const treecover = q.treecover ? await rasters.get(q.treecover) : undefined;
      if (treecover && treecover.meta.kind !== 'treecover') throw new BadRequestError(`${q.treecover} is not a tree cover layer.`);
      // Forest is tree cover >= 30 % by default, as Global Forest Watch; a tree cover layer alone draws all cover.
      const threshold = q.threshold ?? (treecover ? 30 : 0);
      const etag = `"${layer}-${store.meta.levels.length}-${store.meta.maxValue}-${q.from}-${q.to}-${q.treecover ?? ''}-${threshold}-${z}-${x}-${y}"`;
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.setHeader('ETag', etag);
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      await prefetchRasterTile(store, z, x, y, { ...(treecover ? { treecover } : {}) });
      const png = rasterTilePng(store, z, x, y, { fromYear: q.from, toYear: Math.min(q.to, 2000 + store.meta.maxValue), threshold, ...(treecover ? { treecover } : {}) });
      if (png === undefined) throw new NotFoundError(`Tile ${z}/${x}/${y} is outside raster layer ${layer}.`);
      if (png === null) {
        res.status(204).end();
        return;
      }
      res.type('image/png').send(png);
    });
}
