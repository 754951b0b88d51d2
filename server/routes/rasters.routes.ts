import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { BadRequestError, NotFoundError } from '../errors';
import { isValidTile } from '../raster/tile_math';
import { lossTilePng, type RasterStores } from '../services/rasters.service';
import { parseInput } from './validate';

const tileQuery = z
  .object({
    from: z.coerce.number().int().min(2001).max(2100).default(2001),
    to: z.coerce.number().int().min(2001).max(2100).default(2100),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to' });

/**
 * What "nothing here" means for raster tiles: a tile outside the layer's extent is 404; a tile inside
 * it with no loss in the chosen years is 204 No Content (MapLibre draws nothing, and no bytes move).
 */
export function rasterRoutes({ rasters }: AppDeps & { rasters: RasterStores }): Router {
  return Router()
    .get('/api/rasters', async (_req, res) => {
      res.json(await rasters.list());
    })
    .get('/tiles/rasters/:layer/:z/:x/:y.png', async (req, res) => {
      const [z, x, y] = [req.params.z, req.params.x, req.params.y].map(Number) as [number, number, number];
      if (!isValidTile(z, x, y)) throw new BadRequestError(`No tile ${req.params.z}/${req.params.x}/${req.params.y}: z is 0..24 and x, y are 0..2^z-1.`);
      const q = parseInput(tileQuery, req.query, 'query');
      const store = await rasters.get(req.params.layer);
      const etag = `"${req.params.layer}-${store.meta.levels.length}-${store.meta.maxValue}-${q.from}-${q.to}-${z}-${x}-${y}"`;
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.setHeader('ETag', etag);
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      const png = lossTilePng(store, z, x, y, q.from, Math.min(q.to, 2000 + store.meta.maxValue));
      if (png === undefined) throw new NotFoundError(`Tile ${z}/${x}/${y} is outside raster layer ${req.params.layer}.`);
      if (png === null) {
        res.status(204).end();
        return;
      }
      res.type('image/png').send(png);
    });
}
