// An indexed-colour (palette) PNG encoder on node:zlib. Written here because the measured options are
// slower for this one job (BENCH.md (b): sharp 0.84-1.6 ms, pngjs 0.9-4.3 ms, this 0.32 ms per 256 x 256
// tile) and an 8-bit palette PNG is a few dozen lines of the PNG specification.
import zlib from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Encodes `indices` (one byte per pixel, row-major) with a palette of RGBA colours; colours with
 * alpha < 255 get a tRNS entry, so index 0 can be fully transparent.
 */
export function encodePalettePng(width: number, height: number, indices: Uint8Array, palette: readonly [number, number, number, number][]): Buffer {
  if (indices.length !== width * height) throw new Error(`expected ${width * height} pixels, got ${indices.length}`);
  if (palette.length === 0 || palette.length > 256) throw new Error('a palette has 1 to 256 colours');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // colour type: indexed
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach(([r, g, b], i) => plte.set([r, g, b], i * 3));
  let lastTransparent = -1;
  palette.forEach(([, , , a], i) => a < 255 && (lastTransparent = i));
  const trns = Buffer.from(palette.slice(0, lastTransparent + 1).map(([, , , a]) => a));
  // Each row is preceded by filter type 0 (none): palette indices compress well without filtering.
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(indices.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const idat = zlib.deflateSync(raw, { level: 6 });
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    ...(trns.length ? [chunk('tRNS', trns)] : []),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
