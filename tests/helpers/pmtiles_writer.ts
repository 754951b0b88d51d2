// A minimal PMTiles v3 writer (one root directory, no leaves, uncompressed directory and tiles): enough
// for test basemaps of a few hundred tiles. The pmtiles package reads PMTiles but does not write them;
// the tile ids come from its zxyToTileId so reader and writer agree on the Hilbert order.
import fs from 'node:fs';
import { zxyToTileId } from 'pmtiles';

function varint(n: number, out: number[]): void {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

export interface PmtilesInput {
  tiles: { z: number; x: number; y: number; data: Uint8Array }[];
  bounds: [number, number, number, number];
  metadata: object;
}

export function writePmtiles(file: string, input: PmtilesInput): void {
  const entries = input.tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  let offset = 0;
  const placed = entries.map((e) => {
    const p = { id: e.id, offset, length: e.data.length };
    offset += e.data.length;
    return p;
  });
  const dir: number[] = [];
  varint(placed.length, dir);
  let last = 0;
  for (const e of placed) {
    varint(e.id - last, dir);
    last = e.id;
  }
  for (let i = 0; i < placed.length; i++) varint(1, dir); // run lengths
  for (const e of placed) varint(e.length, dir);
  for (let i = 0; i < placed.length; i++) varint(i > 0 && placed[i]!.offset === placed[i - 1]!.offset + placed[i - 1]!.length ? 0 : placed[i]!.offset + 1, dir);
  const root = Buffer.from(dir);
  const meta = Buffer.from(JSON.stringify(input.metadata));
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'ascii');
  header.writeUInt8(3, 7);
  const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at);
  u64(8, 127);
  u64(16, root.length);
  u64(24, 127 + root.length);
  u64(32, meta.length);
  u64(40, 127 + root.length + meta.length);
  u64(48, 0);
  u64(56, 127 + root.length + meta.length);
  u64(64, offset);
  u64(72, placed.length);
  u64(80, placed.length);
  u64(88, placed.length);
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(1, 99); // tile type: MVT
  const zooms = input.tiles.map((t) => t.z);
  header.writeUInt8(Math.min(...zooms), 100);
  header.writeUInt8(Math.max(...zooms), 101);
  const e7 = (v: number) => Math.round(v * 1e7);
  const [w, s, e, n] = input.bounds;
  header.writeInt32LE(e7(w), 102);
  header.writeInt32LE(e7(s), 106);
  header.writeInt32LE(e7(e), 110);
  header.writeInt32LE(e7(n), 114);
  header.writeUInt8(Math.min(...zooms), 118);
  header.writeInt32LE(e7((w + e) / 2), 119);
  header.writeInt32LE(e7((s + n) / 2), 123);
  fs.writeFileSync(file, Buffer.concat([header, root, meta, ...entries.map((x) => Buffer.from(x.data))]));
}
