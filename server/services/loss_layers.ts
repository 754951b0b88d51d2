// Which rasters an analysis reads: a loss layer (by id or name, or the default one), its tree cover
// partner and the forest threshold, with a stamp that changes whenever either store is rewritten.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { StatKey } from '../db/repositories/loss_statistics.repository';
import { AppError, BadRequestError, NotFoundError } from '../errors';
import { HANSEN_METHOD_NOTE } from '../analysis/zonal/loss_series';
import { findRasterLayer, rasterLayersOfKind, type RasterLayerRow } from '../db/repositories/raster_layers.repository';

export type LayerRow = RasterLayerRow;

export interface ResolvedLayers {
  loss: LayerRow;
  treecover: LayerRow | undefined;
  threshold: number;
  stamp: string;
}

export interface LayerChoice {
  layer?: string | number | undefined;
  /** A layer id or name; null = no forest mask; undefined = the loss layer's partner when it has one. */
  treecover?: string | number | null | undefined;
  threshold?: number | undefined;
}

const findLayer = findRasterLayer;

function storeStamp(l: LayerRow): string {
  return `${l.id}@${String(l.properties.ingestedAt ?? l.created_at.toISOString())}`;
}

/**
 * The loss layer analyses use when none is named: the first ingested lossyear layer that names a tree
 * cover partner, else the first ingested one (registration order, so adding a layer never changes it).
 */
export function defaultLossLayer<T extends { kind: string; properties: Record<string, unknown> }>(rows: T[]): T | undefined {
  const loss = rows.filter((l) => l.kind === 'lossyear');
  const ingested = loss.filter((l) => typeof l.properties.store === 'string');
  const pool = ingested.length ? ingested : loss;
  return pool.find((l) => typeof l.properties.treecover === 'string') ?? pool[0];
}

export async function resolveLayers(db: Kysely<Database>, choice: LayerChoice): Promise<ResolvedLayers> {
  let loss: LayerRow | undefined;
  if (choice.layer !== undefined) {
    loss = await findLayer(db, choice.layer);
    if (!loss) throw new NotFoundError(`No raster layer "${choice.layer}". List them at /api/rasters.`);
    if (loss.kind !== 'lossyear') throw new BadRequestError(`Layer ${loss.name} is a ${loss.kind} layer; "layer" must be a lossyear layer.`);
  } else {
    loss = defaultLossLayer(await rasterLayersOfKind(db, 'lossyear'));
    if (!loss) throw new AppError('conflict', 'No lossyear raster layer is registered yet: add one with npm run raster:add or POST /api/rasters.');
  }
  if (typeof loss.properties.store !== 'string') throw new AppError('conflict', `Raster layer ${loss.name} is registered but not ingested into the tile store yet.`);
  let treecover: LayerRow | undefined;
  const coverRef = choice.treecover === undefined ? (loss.properties.treecover as string | undefined) : choice.treecover;
  if (coverRef !== null && coverRef !== undefined && coverRef !== '') {
    treecover = await findLayer(db, coverRef);
    if (!treecover) throw new NotFoundError(`No raster layer "${coverRef}" for tree cover. List them at /api/rasters.`);
    if (treecover.kind !== 'treecover') throw new BadRequestError(`Layer ${treecover.name} is a ${treecover.kind} layer; "treecover" must be a treecover layer.`);
    if (typeof treecover.properties.store !== 'string') throw new AppError('conflict', `Raster layer ${treecover.name} is registered but not ingested yet.`);
  }
  const threshold = choice.threshold ?? 30;
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 100) throw new BadRequestError('threshold is a whole percentage from 0 to 100.');
  return { loss, treecover, threshold, stamp: `${storeStamp(loss)}|${treecover ? storeStamp(treecover) : '-'}` };
}

export function statKey(layers: ResolvedLayers, bufferM: number): StatKey {
  return { lossLayerId: layers.loss.id, treecoverLayerId: layers.treecover?.id ?? 0, threshold: layers.treecover ? layers.threshold : 0, bufferM };
}

export const PIXEL_RULE = 'pixel-centre (GDAL rasterize), per-row geodesic pixel area on WGS84';

/** What a number was computed from, returned with every series. */
export function provenance(layers: ResolvedLayers, extra: { bufferM?: number; computedAt?: Date; spansMethodChange: boolean }) {
  const notes = (layers.loss.properties.methodology as { year: number; note: string }[] | undefined) ?? [HANSEN_METHOD_NOTE];
  return {
    layer: { id: layers.loss.id, name: layers.loss.name, version: layers.loss.version },
    treecover: layers.treecover ? { id: layers.treecover.id, name: layers.treecover.name, version: layers.treecover.version } : null,
    threshold: layers.treecover ? layers.threshold : null,
    forest: layers.treecover ? `tree cover in 2000 >= ${layers.threshold} %` : 'every pixel (no tree cover layer)',
    buffer_m: extra.bufferM ?? null,
    rule: PIXEL_RULE,
    raster_stamp: layers.stamp,
    computed_at: (extra.computedAt ?? new Date()).toISOString(),
    methodology_notes: extra.spansMethodChange ? notes : [],
  };
}
