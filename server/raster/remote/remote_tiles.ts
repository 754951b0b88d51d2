// A store's COG read from the object store: its header once (the tile index is at the front:
// LAYOUT=IFDS_BEFORE_DATA), then tiles by HTTP range, kept in one cache of deflated tiles per
// process, bounded in bytes (ATALAYA_RASTER_CACHE_MB). Reads ahead of the block store's loops are
// asynchronous (prefetch: neighbouring tiles are one request); a tile not prefetched is read with a
// blocking request (blocking_range_reader.ts).
import { readRangeBlocking } from './blocking_range_reader';
import { rasterObjects, readRange } from './raster_objects';

/** Tiles closer than this in the file are fetched in one request (the bytes between are cheaper than a round trip). */
const GAP_BYTES = 64 << 10;
const MAX_REQUEST_BYTES = 8 << 20;
const PARALLEL_REQUESTS = 8;
/** The first request for a COG: its header and, for layers up to about 10,000 x 10,000, the whole tile index. */
const HEAD_BYTES = 64 << 10;

/** Deflated tiles of every remote store of the process, least recently used first (Map order). */
class TileCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;
  constructor(readonly limitBytes: number) {}

  get(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Buffer): void {
    const old = this.entries.get(key);
    if (old) this.bytes -= old.length;
    this.entries.delete(key);
    this.entries.set(key, value);
    this.bytes += value.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.limitBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length;
    }
  }

  get size(): number {
    return this.bytes;
  }
}

let cache: TileCache | undefined;
export function remoteTileCache(): { readonly size: number; readonly limitBytes: number } {
  return tiles();
}
function tiles(): TileCache {
  cache ??= new TileCache(Number(process.env.ATALAYA_RASTER_CACHE_MB ?? 256) * (1 << 20));
  return cache;
}

/** Drops the cache; the next read sizes it from ATALAYA_RASTER_CACHE_MB again (tests). */
export function resetRemoteTileCache(): void {
  cache = undefined;
}

/** Thrown by headBytes(..., false) when the header read so far ends before what was asked. */
export class HeadTooShort extends Error {
  constructor(readonly end: number) {
    super(`the COG's header continues past byte ${end}`);
  }
}

export class RemoteTiles {
  private head: Buffer = Buffer.alloc(0);
  private headComplete = false;
  constructor(readonly key: string) {}

  /** Reads (at least) the first `bytes` of the object with an asynchronous request. */
  async loadHead(bytes = HEAD_BYTES): Promise<void> {
    if (this.head.length >= bytes || this.headComplete) return;
    this.setHead(await readRange(objects(), this.key, 0, bytes, true), bytes);
  }

  private setHead(bytes: Buffer, asked: number): void {
    this.head = bytes;
    this.headComplete = bytes.length < asked; // the whole object
  }

  /**
   * Bytes of the header region (the tile index). Past what was read: a blocking read of more, or
   * with `blocking` false HeadTooShort (open() then reads more asynchronously).
   */
  headBytes(at: number, length: number, blocking = true): Buffer {
    if (at + length > this.head.length && !this.headComplete) {
      const want = Math.max(at + length, this.head.length * 2, HEAD_BYTES);
      if (!blocking) throw new HeadTooShort(want);
      this.setHead(readRangeBlocking(this.key, 0, want, true), want);
    }
    return this.head.subarray(at, Math.min(at + length, this.head.length));
  }

  /** A tile's deflated bytes: from the cache, else one blocking request for it and the `following` tiles after it in the file. */
  tile(offset: number, length: number, following: [number, number][] = []): Buffer {
    const hit = this.cached(offset, length);
    if (hit) return hit;
    const run = [[offset, length] as [number, number], ...following];
    const end = run[run.length - 1]![0] + run[run.length - 1]![1];
    this.split(run, offset, readRangeBlocking(this.key, offset, end - offset));
    return this.cached(offset, length)!;
  }

  isCached(offset: number, length: number): boolean {
    return this.cached(offset, length) !== undefined;
  }

  /** Fetches these tiles (offset, length), neighbours in one request, a few requests at a time. */
  async prefetch(ranges: [number, number][]): Promise<void> {
    const missing = ranges.filter(([o, l]) => l > 0 && !this.cached(o, l)).sort((a, b) => a[0] - b[0]);
    const groups: [number, number][][] = [];
    for (const r of missing) {
      const g = groups[groups.length - 1];
      const last = g?.[g.length - 1];
      if (g && last && r[0] - (last[0] + last[1]) <= GAP_BYTES && r[0] + r[1] - g[0]![0] <= MAX_REQUEST_BYTES) g.push(r);
      else groups.push([r]);
    }
    let next = 0;
    const fetchGroups = async () => {
      while (next < groups.length) {
        const g = groups[next++]!;
        const start = g[0]![0];
        const last = g[g.length - 1]!;
        this.split(g, start, await readRange(objects(), this.key, start, last[0] + last[1] - start));
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, groups.length) }, fetchGroups));
  }

  private cached(offset: number, length: number): Buffer | undefined {
    if (offset + length <= this.head.length) return this.head.subarray(offset, offset + length);
    return tiles().get(`${this.key}@${offset}`);
  }

  private split(run: [number, number][], start: number, bytes: Buffer): void {
    // Copies: a tile kept alone must not hold the whole request's buffer.
    for (const [o, l] of run) tiles().set(`${this.key}@${o}`, Buffer.from(bytes.subarray(o - start, o - start + l)));
  }
}

function objects() {
  const o = rasterObjects();
  if (!o) throw new Error('This layer is in the object store, but ATALAYA_RASTER_STORE is not set.');
  return o;
}
