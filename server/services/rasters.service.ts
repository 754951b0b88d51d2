import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { RasterLayer } from '../api';
import type { Database } from '../db/schema';
import { AppError, NotFoundError } from '../errors';
import { Revalidating } from './revalidating';
import { BlockStore, type StoreMeta } from '../raster/block_store';
import { FIRST_LOSS_YEAR, lossLegend, lossPalette, treecoverPalette } from '../raster/loss_palette';
import { encodePalettePng } from '../raster/palette_png';
import { TILE, chooseLevel, prefetchTile, renderLossTile, renderTreecoverTile } from '../raster/render_tile';
import { refreshStoreMeta } from '../raster/remote/raster_objects';
import { findRasterLayer, listRasterLayers } from '../db/repositories/raster_layers.repository';
import { defaultLossLayer } from './loss_layers';

type LayerRow = { name: string; properties: Record<string, unknown> };
const LOOKUP_TTL_MS = 2000;

/** Whether the layer's store is in its folder (or, ingested by another node, in the object store). */
async function hasStore(row: LayerRow): Promise<boolean> {
  const dir = row.properties.store;
  if (typeof dir !== 'string') return false;
  return fs.existsSync(`${dir}/meta.json`) || (await refreshStoreMeta(dir));
}

/** Opens each layer's block store once and keeps it; drops it when the layer's store changes. */
export class RasterStores {
  private readonly open = new Map<string, { dir: string; stamp: string; store: BlockStore }>();
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<RasterLayer[]> {
    const rows = await listRasterLayers(this.db);
    // A layer another node ingested into the object store: its meta.json comes from there.
    for (const r of rows) await hasStore(r);
    const defaultLoss = defaultLossLayer([...rows].sort((a, b) => a.id - b.id));
    return rows.map((r) => {
      const store = typeof r.properties.store === 'string' && fs.existsSync(`${r.properties.store}/meta.json`) ? (r.properties.store as string) : undefined;
      const lastCode = Number(r.properties.lastYear ?? 23);
      const m = store ? (JSON.parse(fs.readFileSync(`${store}/meta.json`, 'utf8')) as StoreMeta) : undefined;
      return {
        id: r.id, name: r.name, kind: r.kind, version: r.version,
        bounds: (m ? [m.west, m.north - m.height * m.pixelSize, m.west + m.width * m.pixelSize, m.north] : [0, 0, 0, 0]) as [number, number, number, number],
        ready: store !== undefined,
        legend: r.kind === 'lossyear' ? lossLegend(lastCode, Number(r.properties.firstYear ?? 1)) : null,
        default: r.id === defaultLoss?.id,
        attributes: r.properties,
      };
    });
  }

  /** The layer's store by name or id; NotFoundError when unknown, 409 when not ingested yet. */
  async get(nameOrId: string): Promise<BlockStore> {
    let row = await this.lookup(nameOrId);
    // A store rewritten since the row was read (a re-ingest): read the row again.
    if (row && !(await hasStore(row))) row = await this.lookup(nameOrId, true);
    if (!row) throw new NotFoundError(`No raster layer "${nameOrId}". List them at /api/rasters.`);
    const dir = row.properties.store;
    if (typeof dir !== 'string' || !(await hasStore(row))) throw new AppError('conflict', `Raster layer ${row.name} is registered but not ingested into the tile store yet.`);
    // A store rewritten in place (the same folder, by another process: npm run raster:add or alerts:add) has a new ingest stamp.
    const stamp = String(row.properties.ingestedAt ?? '');
    const cached = this.open.get(row.name);
    if (cached && cached.dir === dir && cached.stamp === stamp) return cached.store;
    cached?.store.close();
    await refreshStoreMeta(dir); // written by another node: the object store has its meta.json
    const store = await BlockStore.open(dir);
    this.open.set(row.name, { dir, stamp, store });
    return store;
  }

  /** Layer rows by name or id, kept a few seconds (see lookup). */
  private readonly rows = new Map<string, Revalidating<LayerRow | undefined>>();

  /**
   * The layer's row, re-read at most every few seconds; while a re-read runs, requests go on with
   * the row they have, so raster tiles never wait on the database (a busy embedded one included).
   * Only layers found are kept: a name not (yet) registered is looked up every time.
   */
  private async lookup(nameOrId: string, fresh = false): Promise<LayerRow | undefined> {
    if (fresh) this.rows.delete(nameOrId);
    let entry = this.rows.get(nameOrId);
    if (!entry) {
      if (this.rows.size > 1000) this.rows.clear(); // names come from URLs: bound the map
      entry = new Revalidating(
        () => findRasterLayer(this.db, nameOrId),
        LOOKUP_TTL_MS,
      );
      this.rows.set(nameOrId, entry);
    }
    const row = await entry.get();
    if (!row) this.rows.delete(nameOrId);
    return row;
  }

  /** Drops the open store of a layer whose store was just rewritten. */
  forget(name: string): void {
    this.rows.clear();
    this.open.get(name)?.store.close();
    this.open.delete(name);
  }

  close(): void {
    for (const { store } of this.open.values()) store.close();
    this.open.clear();
  }
}

const lossPalettes = new Map<number, ReturnType<typeof lossPalette>>();
const greenPalette = treecoverPalette();

export interface TileOptions {
  fromYear: number;
  toYear: number;
  /** Forest mask (loss layers) or the lowest cover drawn (tree cover layers), percent. */
  threshold: number;
  treecover?: BlockStore;
}

/** Reads the blocks rasterTilePng will read from the object store first (a no-op for the local store). */
export async function prefetchRasterTile(store: BlockStore, z: number, x: number, y: number, o: Pick<TileOptions, 'treecover'>): Promise<void> {
  await Promise.all([prefetchTile(store, chooseLevel(store, z), z, x, y), ...(o.treecover && store.meta.kind !== 'treecover' ? [prefetchTile(o.treecover, chooseLevel(o.treecover, z), z, x, y)] : [])]);
}

/** A tile as a palette PNG; undefined when outside the layer, null when nothing is painted. */
export function rasterTilePng(store: BlockStore, z: number, x: number, y: number, o: TileOptions): Buffer | null | undefined {
  if (store.meta.kind === 'treecover') {
    const rendered = renderTreecoverTile(store, z, x, y, o.threshold);
    if (!rendered) return undefined;
    return rendered.painted ? encodePalettePng(TILE, TILE, rendered.indices, greenPalette) : null;
  }
  const rendered = renderLossTile(store, z, x, y, {
    fromCode: o.fromYear - (FIRST_LOSS_YEAR - 1),
    toCode: o.toYear - (FIRST_LOSS_YEAR - 1),
    ...(o.treecover ? { treecover: { store: o.treecover, threshold: o.threshold } } : {}),
  });
  if (!rendered) return undefined;
  if (rendered.painted === 0) return null;
  const last = Math.max(1, store.meta.maxValue);
  if (!lossPalettes.has(last)) lossPalettes.set(last, lossPalette(last));
  return encodePalettePng(TILE, TILE, rendered.indices, lossPalettes.get(last)!);
}
