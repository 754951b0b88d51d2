// Writes a PMTiles v3 archive (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md).
// Written here because no kept JavaScript library writes PMTiles: the `pmtiles` package (Protomaps'
// own) only reads them, and the writers are Go, Rust and Python programs. Tile ids come from that
// package's zxyToTileId so reader and writer agree on the Hilbert order, and the archive is checked
// by reading it back with it (tests/integration/area_packages.test.ts) and with GDAL's MVT reader.
//
// Tiles are added in any order and spooled to a side file; finish() sorts them by tile id (a
// "clustered" archive), folds identical neighbours into runs, and writes header, root directory
// (with leaf directories when the root would not fit in the first 16 KiB), metadata, leaves, tiles.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { zxyToTileId } from 'pmtiles';

const HEADER_BYTES = 127;
/** The spec: header and root directory together within the first 16,384 bytes. */
const ROOT_LIMIT = 16_384 - HEADER_BYTES;

export const enum PmTileType {
  Mvt = 1,
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

export interface PmtilesOptions {
  tileType: PmTileType;
  /** Whether the tiles given are gzipped (MVT as served) or stored as they are (PNG). */
  tileGzip: boolean;
  bounds: [number, number, number, number];
  center?: [number, number, number];
  metadata: Record<string, unknown>;
}

function varint(n: number, out: number[]): void {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

/** A directory as the spec serialises it (columns: id deltas, run lengths, lengths, offsets), gzipped. */
function serialiseDirectory(entries: Entry[]): Buffer {
  const out: number[] = [];
  varint(entries.length, out);
  let last = 0;
  for (const e of entries) {
    varint(e.tileId - last, out);
    last = e.tileId;
  }
  for (const e of entries) varint(e.runLength, out);
  for (const e of entries) varint(e.length, out);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const prev = entries[i - 1];
    varint(i > 0 && prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1, out);
  }
  return gzipSync(Buffer.from(out));
}

/** Root and leaves: leaves of `size` entries each, the root pointing at them (run length 0). */
function directories(entries: Entry[]): { root: Buffer; leaves: Buffer } {
  const whole = serialiseDirectory(entries);
  if (whole.length <= ROOT_LIMIT) return { root: whole, leaves: Buffer.alloc(0) };
  for (let size = 4096; ; size *= 2) {
    const rootEntries: Entry[] = [];
    const leafParts: Buffer[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += size) {
      const leaf = serialiseDirectory(entries.slice(i, i + size));
      rootEntries.push({ tileId: entries[i]!.tileId, offset, length: leaf.length, runLength: 0 });
      leafParts.push(leaf);
      offset += leaf.length;
    }
    const root = serialiseDirectory(rootEntries);
    if (root.length <= ROOT_LIMIT) return { root, leaves: Buffer.concat(leafParts) };
  }
}

export class PmtilesWriter {
  private readonly spool: number;
  private readonly added: { tileId: number; z: number; offset: number; length: number; hash: string }[] = [];
  private spoolBytes = 0;
  private readonly byHash = new Map<string, { offset: number; length: number }>();

  constructor(private readonly file: string, private readonly options: PmtilesOptions) {
    this.spool = fs.openSync(`${file}.tiles`, 'w');
  }

  /** Adds one tile (empty tiles are better left out: a reader treats a missing tile as empty). */
  add(z: number, x: number, y: number, data: Uint8Array): void {
    const hash = createHash('sha1').update(data).digest('hex');
    let placed = this.byHash.get(hash);
    if (!placed) {
      fs.writeSync(this.spool, data, 0, data.length, this.spoolBytes);
      placed = { offset: this.spoolBytes, length: data.length };
      this.byHash.set(hash, placed);
      this.spoolBytes += data.length;
    }
    this.added.push({ tileId: zxyToTileId(z, x, y), z, ...placed, hash });
  }

  get tileCount(): number {
    return this.added.length;
  }

  /** Writes the archive; returns its size in bytes. The spool file is removed. */
  finish(): number {
    fs.closeSync(this.spool);
    const spoolFile = `${this.file}.tiles`;
    try {
      return this.write(spoolFile);
    } finally {
      fs.rmSync(spoolFile, { force: true });
    }
  }

  private write(spoolFile: string): number {
    const sorted = [...this.added].sort((a, b) => a.tileId - b.tileId);
    // Tile data in tile-id order (clustered), each distinct content once; identical consecutive tiles as one run.
    const newOffsets = new Map<string, number>();
    const order: { from: number; length: number }[] = [];
    let dataBytes = 0;
    const entries: Entry[] = [];
    for (const t of sorted) {
      let offset = newOffsets.get(t.hash);
      if (offset === undefined) {
        offset = dataBytes;
        newOffsets.set(t.hash, offset);
        order.push({ from: t.offset, length: t.length });
        dataBytes += t.length;
      }
      const last = entries.at(-1);
      if (last && last.offset === offset && last.tileId + last.runLength === t.tileId) last.runLength++;
      else entries.push({ tileId: t.tileId, offset, length: t.length, runLength: 1 });
    }
    const { root, leaves } = directories(entries);
    const metadata = gzipSync(Buffer.from(JSON.stringify(this.options.metadata)));
    const header = this.header({ root, leaves, metadata, dataBytes, entries, sorted });
    const out = fs.openSync(this.file, 'w');
    try {
      let at = 0;
      for (const part of [header, root, metadata, leaves]) {
        fs.writeSync(out, part, 0, part.length, at);
        at += part.length;
      }
      const spool = fs.openSync(spoolFile, 'r');
      try {
        for (const o of order) {
          const buf = Buffer.alloc(o.length);
          fs.readSync(spool, buf, 0, o.length, o.from);
          fs.writeSync(out, buf, 0, o.length, at);
          at += o.length;
        }
      } finally {
        fs.closeSync(spool);
      }
      return at;
    } finally {
      fs.closeSync(out);
    }
  }

  private header(p: { root: Buffer; leaves: Buffer; metadata: Buffer; dataBytes: number; entries: Entry[]; sorted: { z: number }[] }): Buffer {
    const h = Buffer.alloc(HEADER_BYTES);
    h.write('PMTiles', 0, 'ascii');
    h.writeUInt8(3, 7);
    const u64 = (at: number, v: number) => h.writeBigUInt64LE(BigInt(v), at);
    const rootAt = HEADER_BYTES;
    const metaAt = rootAt + p.root.length;
    const leavesAt = metaAt + p.metadata.length;
    const dataAt = leavesAt + p.leaves.length;
    u64(8, rootAt);
    u64(16, p.root.length);
    u64(24, metaAt);
    u64(32, p.metadata.length);
    u64(40, leavesAt);
    u64(48, p.leaves.length);
    u64(56, dataAt);
    u64(64, p.dataBytes);
    u64(72, p.sorted.length); // addressed tiles
    u64(80, p.entries.length); // tile entries
    u64(88, this.byHash.size); // tile contents
    h.writeUInt8(1, 96); // clustered
    h.writeUInt8(2, 97); // internal compression: gzip
    h.writeUInt8(this.options.tileGzip ? 2 : 1, 98); // tile compression
    h.writeUInt8(this.options.tileType, 99);
    let minZoom = p.sorted.length ? 31 : 0;
    let maxZoom = 0;
    for (const t of p.sorted) {
      minZoom = Math.min(minZoom, t.z);
      maxZoom = Math.max(maxZoom, t.z);
    }
    h.writeUInt8(minZoom, 100);
    h.writeUInt8(maxZoom, 101);
    const e7 = (v: number) => Math.round(v * 1e7);
    const [w, s, e, n] = this.options.bounds;
    h.writeInt32LE(e7(w), 102);
    h.writeInt32LE(e7(s), 106);
    h.writeInt32LE(e7(e), 110);
    h.writeInt32LE(e7(n), 114);
    const [cx, cy, cz] = this.options.center ?? [(w + e) / 2, (s + n) / 2, minZoom];
    h.writeUInt8(cz, 118);
    h.writeInt32LE(e7(cx), 119);
    h.writeInt32LE(e7(cy), 123);
    return h;
  }
}
