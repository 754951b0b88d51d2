// Vector tiles and their TileJSON. An empty tile is 200 with an empty body (MapLibre's expectation);
// ETags follow the layer's data version, so a client revalidates cheaply after the short max-age.
import { Router } from 'express';
import { vectorTileLayerSchema, vectorTileParamsSchema } from '../api';
import type { AppDeps } from '../app_deps';
import type { VectorTiles } from '../services/vector_tiles.service';
import { parseInput } from './validate';

export function vectorTileRoutes({ tiles }: AppDeps & { tiles: VectorTiles }): Router {
  return Router()
    .get('/tiles/:layer/:z/:x/:y.mvt', async (req, res) => {
      const p = parseInput(vectorTileParamsSchema, req.params, 'path');
      const tile = await tiles.tile(p.layer, p.z, p.x, p.y);
      res.set({ 'Content-Type': 'application/vnd.mapbox-vector-tile', ETag: tile.etag, 'Cache-Control': 'public, max-age=60', Vary: 'Accept-Encoding' });
      if (req.headers['if-none-match'] === tile.etag) {
        res.status(304).end();
        return;
      }
      if (tile.raw.length === 0) {
        res.status(200).end();
        return;
      }
      if (tile.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        res.set('Content-Encoding', 'gzip').send(tile.gzip);
        return;
      }
      res.send(Buffer.from(tile.raw.buffer, tile.raw.byteOffset, tile.raw.byteLength));
    })
    .get('/tiles/:layer.json', async (req, res) => {
      const { layer } = parseInput(vectorTileLayerSchema, req.params, 'path');
      res.json(await tiles.tileJson(layer, `${req.protocol}://${req.get('host')}`));
    });
}
