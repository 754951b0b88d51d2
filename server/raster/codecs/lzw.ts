// TIFF LZW (MSB-first codes of 9 to 12 bits, "early change", Clear = 256, EOI = 257) decoded into a
// caller's buffer. Written by hand because the decoders on npm (geotiff.js's included) build a new
// array per code and decode Hansen tiles at about 17 Mpx/s (BENCH.md (b)); this one keeps the string
// table in typed arrays and copies each string backwards straight into the output.

export class LzwError extends Error {}

const CLEAR = 256;
const EOI = 257;
const FIRST = 258;

// One table per thread, reused by every strip.
const prefix = new Uint16Array(4096);
const suffix = new Uint8Array(4096);
const length = new Uint16Array(4096);
for (let i = 0; i < 256; i++) {
  suffix[i] = i;
  length[i] = 1;
}

/** Decodes `input` into `out`; returns the number of bytes written (at most out.length). */
export function decodeLzw(input: Uint8Array, out: Uint8Array): number {
  const totalBits = input.length * 8;
  let bitPos = 0;
  let width = 9;
  let next = FIRST;
  let prev = -1;
  let outPos = 0;
  const end = out.length;
  if (input.length >= 2 && input[0] === 0 && (input[1]! & 0x01) !== 0) throw new LzwError('old-style (LSB-first) LZW is not supported; rewrite the file with gdal_translate -co COMPRESS=LZW');
  while (bitPos + width <= totalBits) {
    const at = bitPos >>> 3;
    const bits = (input[at]! << 16) | ((input[at + 1] ?? 0) << 8) | (input[at + 2] ?? 0);
    const code = (bits >>> (24 - (bitPos & 7) - width)) & ((1 << width) - 1);
    bitPos += width;
    if (code === EOI) break;
    if (code === CLEAR) {
      width = 9;
      next = FIRST;
      prev = -1;
      continue;
    }
    if (prev === -1) {
      if (code > 255) throw new LzwError(`LZW stream starts with code ${code}`);
      if (outPos >= end) break;
      out[outPos++] = code;
      prev = code;
      continue;
    }
    let len: number;
    if (code < next) {
      len = length[code]!;
      if (outPos + len > end) throw new LzwError('LZW data longer than the strip');
      let c = code;
      let p = outPos + len - 1;
      while (c > 255) {
        out[p--] = suffix[c]!;
        c = prefix[c]!;
      }
      out[p] = c;
    } else if (code === next) {
      // The KwKwK case: the previous string plus its own first byte.
      len = length[prev]! + 1;
      if (outPos + len > end) throw new LzwError('LZW data longer than the strip');
      let c = prev;
      let p = outPos + len - 2;
      while (c > 255) {
        out[p--] = suffix[c]!;
        c = prefix[c]!;
      }
      out[p] = c;
      out[outPos + len - 1] = c;
    } else {
      throw new LzwError(`LZW code ${code} is not in the table (corrupt data)`);
    }
    if (next < 4096) {
      prefix[next] = prev;
      suffix[next] = out[outPos]!;
      length[next] = length[prev]! + 1;
      next++;
      if (next + 1 === 1 << width && width < 12) width++;
    }
    outPos += len;
    prev = code;
  }
  return outPos;
}
