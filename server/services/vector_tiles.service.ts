// Vector tiles of areas (a layer per kind), sites and activities: ST_AsMVT where the PostGIS has
// protobuf, else the same rows clipped in SQL and encoded in Node. Tiles are cached gzipped per
// layer version, which triggers bump on every change (migration 0008).
import { gzipSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { probeMvtSupport } from '../db/repositories/health.repository';
import { layerExtent, tileLayerVersions } from '../db/repositories/tile_layers.repository';
import { areaKindCodes } from '../db/repositories/areas.repository';
import { NotFoundError } from '../errors';
import { layerSource, type TileLayer } from '../db/tiles/mvt_layers';
import { mvtQuery, tileGeometryQuery } from '../db/tiles/mvt_sql';
import { encodeMvtLayer } from '../tiles/mvt_encode';
import { Revalidating } from './revalidating';

export interface VectorTile {
  /** Raw MVT bytes (empty for an empty tile) and the same gzipped (undefined when empty). */
  raw: Uint8Array;
  gzip: Buffer | undefined;
  etag: string;
}

/** Versions are re-read at most this often: a change shows in tiles within a second. */
const VERSION_TTL_MS = 1000;
// A re-read gets this long to answer: a responsive database does, so a change shows within a
// second; a busy one does not hold a cached tile.
const REVALIDATE_WAIT_MS = 150;
// A tile's new version (after a change to its layer) gets this long to draw; past it, the previous
// version answers meanwhile and the drawing goes on into the cache. Clients may keep a tile for a
// minute anyway (Cache-Control), so this adds no staleness they do not already accept, and the map
// does not stall while an import's thousands of areas are drawn anew.
const STALE_WAIT_MS = 200;

interface CachedTile {
  version: number;
  tile: VectorTile;
}

export class VectorTiles {
  private nativeMvt: Promise<boolean> | undefined;
  /** The latest drawn version of each tile, by layer/z/x/y, least recently used first. */
  private readonly cache = new Map<string, CachedTile>();
  /** Drawings in progress, by layer/z/x/y@version: concurrent requests for one tile share one. */
  private readonly drawing = new Map<string, Promise<VectorTile>>();
  private readonly versions: Revalidating<Map<string, number>>;
  private readonly kinds: Revalidating<Set<string>>;

  constructor(private readonly db: Kysely<Database>, private readonly options: { forceFallback?: boolean; cacheEntries?: number } = {}) {
    this.versions = new Revalidating(() => tileLayerVersions(db), VERSION_TTL_MS, REVALIDATE_WAIT_MS);
    this.kinds = new Revalidating(async () => new Set(await areaKindCodes(db)), VERSION_TTL_MS, REVALIDATE_WAIT_MS);
  }

  /** Whether tiles come from ST_AsMVT (a PostGIS with protobuf) or from the Node encoder. */
  async usesNativeMvt(): Promise<boolean> {
    if (this.options.forceFallback) return false;
    return (this.nativeMvt ??= probeMvtSupport(this.db));
  }

  /** `forest_concession` (any area kind), `sites` or `activities`. */
  async resolveLayer(name: string): Promise<TileLayer> {
    if (name === 'sites') return { kind: 'sites' };
    if (name === 'activities') return { kind: 'activities' };
    const kinds = await this.kinds.get();
    if (!kinds.has(name)) throw new NotFoundError(`No tile layer "${name}": use an area kind (${[...kinds].join(', ')}), sites or activities.`);
    return { kind: 'areas', areaKind: name };
  }

  async version(layer: TileLayer): Promise<number> {
    return (await this.versions.get()).get(layer.kind) ?? 0;
  }

  async tile(name: string, z: number, x: number, y: number): Promise<VectorTile> {
    const layer = await this.resolveLayer(name);
    const version = await this.version(layer);
    const path = `${name}/${z}/${x}/${y}`;
    const cached = this.cache.get(path);
    if (cached && cached.version >= version) {
      this.cache.delete(path); // LRU: most recent last
      this.cache.set(path, cached);
      return cached.tile;
    }
    const fresh = this.draw(path, version, `"${name}-v${version}-${z}-${x}-${y}"`, () => this.renderConfigured(layer, name, z, x, y));
    if (!cached) return fresh;
    const late = Symbol('late');
    const first = await Promise.race([fresh, new Promise<typeof late>((r) => setTimeout(() => r(late), STALE_WAIT_MS).unref())]);
    return first === late ? cached.tile : first;
  }

  /** Draws one version of a tile once, however many requests want it, and caches it unless a newer one is there. */
  private draw(path: string, version: number, etag: string, render: () => Promise<Uint8Array>): Promise<VectorTile> {
    const key = `${path}@${version}`;
    const running = this.drawing.get(key);
    if (running) return running;
    const drawn = (async () => {
      const raw = await render();
      const tile: VectorTile = { raw, gzip: raw.length ? gzipSync(raw, { level: 6 }) : undefined, etag };
      const limit = this.options.cacheEntries ?? 4000;
      const current = this.cache.get(path);
      if (limit > 0 && !(current && current.version > version)) {
        this.cache.delete(path);
        this.cache.set(path, { version, tile });
        if (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value!);
      }
      return tile;
    })().finally(() => this.drawing.delete(key));
    drawn.catch(() => undefined); // answered to its own caller; a stale answer must not leave it unhandled
    this.drawing.set(key, drawn);
    return drawn;
  }

  /** One tile by the configured path (ST_AsMVT or the Node encoder). */
  private async renderConfigured(layer: TileLayer, name: string, z: number, x: number, y: number): Promise<Uint8Array> {
    return this.render(layer, name, z, x, y, await this.usesNativeMvt());
  }

  /** One tile by one path, uncached (the tests compare both paths on a PostGIS server). */
  async render(layer: TileLayer, name: string, z: number, x: number, y: number, native: boolean): Promise<Uint8Array> {
    if (native) {
      const row = (await mvtQuery(layer, name, z, x, y).execute(this.db)).rows[0];
      return row?.mvt ? new Uint8Array(row.mvt) : new Uint8Array(0);
    }
    const rows = (await tileGeometryQuery(layer, z, x, y).execute(this.db)).rows;
    return encodeMvtLayer(name, rows, layerSource(layer, z).idColumn);
  }

  /** TileJSON 3.0 for one layer, with its fields and the extent of its data. */
  async tileJson(name: string, baseUrl: string) {
    const layer = await this.resolveLayer(name);
    const src = layerSource(layer, 22, { rawOutlines: true });
    const extent = await layerExtent(this.db, src);
    const version = await this.version(layer);
    return {
      tilejson: '3.0.0',
      name,
      description: layer.kind === 'areas' ? `Areas of kind ${layer.areaKind}` : layer.kind === 'sites' ? 'Sites of published activities' : 'Published activities (one feature per activity and geometry type)',
      version: String(version),
      scheme: 'xyz',
      tiles: [`${baseUrl}/tiles/${name}/{z}/{x}/{y}.mvt`],
      minzoom: 0,
      maxzoom: 16,
      bounds: extent ?? [-180, -85.0511, 180, 85.0511],
      vector_layers: [{ id: name, fields: src.fields, minzoom: 0, maxzoom: 16 }],
    };
  }
}
