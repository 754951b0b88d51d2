import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { BadRequestError } from '../errors';
import { ingestGeoTiff, RasterInputError } from '../raster/ingest';
import type { StoreMeta } from '../raster/block_store';
import { HANSEN_METHOD_NOTE } from '../analysis/zonal/loss_series';
import { findRasterLayer, upsertRasterLayer } from '../db/repositories/raster_layers.repository';

export interface RegisterRasterInput {
  files: string[];
  kind: 'lossyear' | 'treecover';
  name: string;
  version?: string;
  /** For a lossyear layer: the tree cover layer its statistics use by default. */
  treecover?: string;
  /** Who made the data and under which licence: shown beside the layer wherever it is used. */
  about?: LayerAbout;
  dataDir: string;
  /** Block rows written so far of the full-resolution level (for a progress bar). */
  onProgress?: (p: { read: number; total: number; features: number }) => void;
}

/** What a user is told about a layer: its maker, licence, a one-line description, and its method. */
export interface LayerAbout {
  source?: string;
  licence?: string;
  description?: string;
  /**
   * 'hansen' (the default for loss layers) attaches the Hansen method-change note (2011) to series
   * that span it; 'none' for loss-year layers of other origin (e.g. a mining first-year raster).
   */
  methodNote?: 'hansen' | 'none';
}

/**
 * What a raster layer row records about its store: where it is, the last loss code, and the ingest
 * stamp that statistics remember (a re-ingested layer makes them stale); a lossyear layer also carries
 * the Hansen method note and, when named, its tree cover partner for statistics.
 */
export function storedLayerProperties(kind: 'lossyear' | 'treecover', dir: string, meta: StoreMeta, treecover?: string, about: LayerAbout = {}): Record<string, unknown> {
  return {
    store: dir,
    lastYear: meta.maxValue,
    ...(meta.minValue ? { firstYear: meta.minValue } : {}),
    levels: meta.levels.length,
    ingestedAt: new Date().toISOString(),
    ...(about.source ? { source: about.source } : {}),
    ...(about.licence ? { licence: about.licence } : {}),
    ...(about.description ? { description: about.description } : {}),
    ...(kind === 'lossyear' ? { methodology: about.methodNote === 'none' ? [] : [HANSEN_METHOD_NOTE], ...(treecover ? { treecover } : {}) } : {}),
  };
}

/**
 * Ingests the files into the tile store and registers (or replaces) the layer. A rejected input throws
 * BadRequestError and leaves an existing layer of that name, and its store, as they were.
 */
export async function registerRasterLayer(db: Kysely<Database>, input: RegisterRasterInput) {
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(input.name)) throw new BadRequestError(`Layer name "${input.name}": use letters, digits, _ and - (at most 63).`);
  const dir = path.join(input.dataDir, 'rasters', input.name);
  if (input.treecover) {
    const partner = await findRasterLayer(db, input.treecover);
    if (partner?.kind !== 'treecover') throw new BadRequestError(`--treecover ${input.treecover}: no tree cover layer of that name; register it first.`);
  }
  let meta;
  try {
    meta = await ingestGeoTiff(input.files.map((f) => path.resolve(f)), dir, input.kind, input.onProgress);
  } catch (e) {
    if (e instanceof RasterInputError) throw new BadRequestError(`${e.message} Nothing was changed.`);
    throw e;
  }
  return upsertRasterLayer(db, {
    name: input.name,
    kind: input.kind,
    version: input.version ?? null,
    files: JSON.stringify(input.files.map((f) => path.resolve(f))),
    width: meta.width,
    height: meta.height,
    pixel_size_deg: meta.pixelSize,
    bounds: { west: meta.west, south: meta.north - meta.height * meta.pixelSize, east: meta.west + meta.width * meta.pixelSize, north: meta.north },
    properties: JSON.stringify(storedLayerProperties(input.kind, dir, meta, input.treecover, input.about)),
  });
}
