import fs from 'node:fs';
import { Router } from 'express';
import { apiPaths, type ClientConfig } from '../api';
import type { AppDeps } from '../app_deps';
import { NotFoundError } from '../errors';

/**
 * The client's basemap choice, and the PMTiles file itself when one is configured: MapLibre's pmtiles
 * protocol reads it with HTTP range requests, which res.sendFile answers (206 Partial Content).
 */
export function basemapRoutes({ config }: AppDeps): Router {
  const { pmtiles, flavor, styleUrl } = config.basemap;
  const basemap: ClientConfig['basemap'] = pmtiles ? { type: 'pmtiles', url: apiPaths.basemapFile, flavor } : styleUrl ? { type: 'style', url: styleUrl } : { type: 'natural-earth' };
  return Router()
    .get(apiPaths.clientConfig, (_req, res) => {
      res.json({ basemap, siteBufferM: config.siteBufferM, fieldAccuracyLimitM: config.fieldAccuracyLimitM } satisfies ClientConfig);
    })
    .get(apiPaths.basemapFile, (_req, res) => {
      if (!pmtiles || !fs.existsSync(pmtiles)) throw new NotFoundError(pmtiles ? `The basemap file ${pmtiles} is missing: fix ATALAYA_BASEMAP_PMTILES.` : 'No PMTiles basemap is configured (ATALAYA_BASEMAP_PMTILES).');
      res.sendFile(pmtiles, { acceptRanges: true, maxAge: '1d', headers: { 'Content-Type': 'application/vnd.pmtiles' } });
    });
}
