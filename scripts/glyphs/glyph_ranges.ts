// Glyph PBFs ({fontstack}/{start}-{end}.pbf, MapLibre's glyph format) from a TrueType font, made at
// build time so the map never asks an online glyph server for label fonts.
import Pbf from 'pbf';
import opentype from 'opentype.js';
import { rasterise, type PathCommand } from './coverage';
import { SDF, signedDistanceField } from './signed_distance';

interface Font {
  unitsPerEm: number;
  ascender: number;
  charToGlyph(char: string): { index: number; advanceWidth?: number; getPath(x: number, y: number, size: number): { commands: PathCommand[]; getBoundingBox(): { x1: number; y1: number; x2: number; y2: number } } };
}

export interface Glyph {
  id: number;
  bitmap?: Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}

export function parseFont(ttf: Buffer): Font {
  return (opentype as unknown as { parse(b: ArrayBuffer): Font }).parse(ttf.buffer.slice(ttf.byteOffset, ttf.byteOffset + ttf.byteLength) as ArrayBuffer);
}

/** One glyph at MapLibre's 24 px, or undefined when the font lacks the character. */
export function renderGlyph(font: Font, codePoint: number): Glyph | undefined {
  const glyph = font.charToGlyph(String.fromCodePoint(codePoint));
  if (glyph.index === 0) return undefined;
  const scale = SDF.fontSize / font.unitsPerEm;
  const advance = Math.round((glyph.advanceWidth ?? 0) * scale);
  const path = glyph.getPath(0, 0, SDF.fontSize);
  const box = path.getBoundingBox();
  if (path.commands.length === 0 || !(box.x2 > box.x1) || !(box.y2 > box.y1)) return { id: codePoint, width: 0, height: 0, left: 0, top: 0, advance };
  const left = Math.floor(box.x1), topY = Math.floor(box.y1);
  const width = Math.ceil(box.x2) - left, height = Math.ceil(box.y2) - topY;
  const b = SDF.buffer;
  const coverage = rasterise(path.commands, left - b, topY - b, width + 2 * b, height + 2 * b);
  // MapLibre places glyph tops relative to the font's ascender (as fontnik writes them).
  const ascender = Math.round(font.ascender * scale);
  return { id: codePoint, bitmap: signedDistanceField(coverage, width + 2 * b, height + 2 * b), width, height, left, top: -topY - ascender, advance };
}

/** The PBF of one 256-code-point range of one font stack. */
export function glyphRangePbf(font: Font, fontstack: string, start: number): Uint8Array {
  const glyphs: Glyph[] = [];
  for (let cp = start; cp < start + 256; cp++) {
    const g = renderGlyph(font, cp);
    if (g) glyphs.push(g);
  }
  const pbf = new Pbf();
  pbf.writeMessage(1, (_: unknown, p: Pbf) => {
    p.writeStringField(1, fontstack);
    p.writeStringField(2, `${start}-${start + 255}`);
    for (const g of glyphs) {
      p.writeMessage(3, (_g: unknown, q: Pbf) => {
        q.writeVarintField(1, g.id);
        if (g.bitmap) q.writeBytesField(2, g.bitmap);
        q.writeVarintField(3, g.width);
        q.writeVarintField(4, g.height);
        q.writeSVarintField(5, g.left);
        q.writeSVarintField(6, g.top);
        q.writeVarintField(7, g.advance);
      }, g);
    }
  }, null);
  return pbf.finish();
}
