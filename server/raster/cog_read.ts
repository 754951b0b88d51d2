// Reads the tile index of a store's COG: for each level (the main image, then its overviews) the
// offset and byte count of every tile, as the (offset, length) pairs the block store reads by.
// Only these two arrays are needed, once, when a layer is opened, and opening is synchronous (the
// zonal and tile paths read blocks synchronously), so this walks the IFDs itself instead of going
// through geotiff.js's asynchronous parser. `read` is the file's (or the object's) bytes.
import { BLOCK } from './block_store';

/** `length` bytes of the TIFF at `at` (fewer only where the file ends). */
export type ReadBytes = (at: number, length: number) => Buffer;

const TILE_WIDTH = 322;
const TILE_OFFSETS = 324;
const TILE_BYTE_COUNTS = 325;
const COMPRESSION = 259;
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8, 18: 8 };
/** More IFDs than a layer of any size has levels: a loop in a damaged file ends here. */
const MAX_IFDS = 64;

export function readCogIndex(bytes: ReadBytes, name: string): Float64Array[] {
  const head = read(bytes, 0, 16);
  if (head.toString('latin1', 0, 2) !== 'II') throw new Error(`${name} is not a little-endian TIFF`);
  const magic = head.readUInt16LE(2);
  if (magic !== 42 && magic !== 43) throw new Error(`${name} is not a TIFF`);
  const big = magic === 43;
  let next = big ? Number(head.readBigUInt64LE(8)) : head.readUInt32LE(4);
  const levels: Float64Array[] = [];
  while (next !== 0 && levels.length < MAX_IFDS) {
    const countBytes = read(bytes, next, big ? 8 : 2);
    const count = big ? Number(countBytes.readBigUInt64LE(0)) : countBytes.readUInt16LE(0);
    const entrySize = big ? 20 : 12;
    const body = read(bytes, next + (big ? 8 : 2), count * entrySize + (big ? 8 : 4));
    let offsets: number[] | undefined;
    let counts: number[] | undefined;
    for (let e = 0; e < count; e++) {
      const p = e * entrySize;
      const tag = body.readUInt16LE(p);
      if (tag !== TILE_OFFSETS && tag !== TILE_BYTE_COUNTS && tag !== TILE_WIDTH && tag !== COMPRESSION) continue;
      const values = entryValues(bytes, body, p, big);
      if (tag === TILE_OFFSETS) offsets = values;
      else if (tag === TILE_BYTE_COUNTS) counts = values;
      else if (tag === TILE_WIDTH && values[0] !== BLOCK) throw new Error(`${name}: tiles of ${values[0]} pixels, the store reads ${BLOCK}`);
      else if (tag === COMPRESSION && values[0] !== 8) throw new Error(`${name}: compression ${values[0]}, the store reads deflate (8)`);
    }
    if (!offsets || !counts || offsets.length !== counts.length) throw new Error(`${name}: level ${levels.length} has no tile index`);
    const index = new Float64Array(offsets.length * 2);
    for (let i = 0; i < offsets.length; i++) {
      index[i * 2] = offsets[i]!;
      index[i * 2 + 1] = offsets[i] === 0 ? 0 : counts[i]!;
    }
    levels.push(index);
    next = big ? Number(body.readBigUInt64LE(count * entrySize)) : body.readUInt32LE(count * entrySize);
  }
  return levels;
}

function entryValues(bytes: ReadBytes, body: Buffer, p: number, big: boolean): number[] {
  const type = body.readUInt16LE(p + 2);
  const n = big ? Number(body.readBigUInt64LE(p + 4)) : body.readUInt32LE(p + 4);
  const size = TYPE_SIZE[type] ?? 0;
  const field = p + (big ? 12 : 8);
  const inline = n * size <= (big ? 8 : 4);
  const src = inline ? body.subarray(field, field + n * size) : read(bytes, big ? Number(body.readBigUInt64LE(field)) : body.readUInt32LE(field), n * size);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (type === 3) out[i] = src.readUInt16LE(i * 2);
    else if (type === 4) out[i] = src.readUInt32LE(i * 4);
    else if (type === 16) out[i] = Number(src.readBigUInt64LE(i * 8));
    else throw new Error(`tile index of type ${type}`);
  }
  return out;
}

function read(bytes: ReadBytes, at: number, length: number): Buffer {
  const b = bytes(at, length);
  if (b.length < length) throw new Error(`the TIFF ends at byte ${at + b.length}, inside its index`);
  return b;
}
