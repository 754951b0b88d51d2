// The build-time glyph maker: checked by decoding its PBFs the way MapLibre reads them.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import Pbf from 'pbf';
import { describe, expect, it } from 'vitest';
import { glyphRangePbf, parseFont, renderGlyph } from '../../../scripts/glyphs/glyph_ranges';
import { SDF } from '../../../scripts/glyphs/signed_distance';

const require = createRequire(import.meta.url);
const font = parseFont(fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf')));

type Glyph = { id: number; bitmap?: Uint8Array; width: number; height: number; left: number; top: number; advance: number };
function decode(bytes: Uint8Array): { name: string; range: string; glyphs: Glyph[] } {
  const stack = { name: '', range: '', glyphs: [] as Glyph[] };
  new Pbf(bytes).readFields((tag, _, pbf) => {
    if (tag !== 1) return;
    pbf!.readMessage((t, s, p) => {
      if (t === 1) s.name = p!.readString();
      else if (t === 2) s.range = p!.readString();
      else if (t === 3) {
        const g = { id: 0, width: 0, height: 0, left: 0, top: 0, advance: 0 } as Glyph;
        p!.readMessage((f, gg, q) => {
          if (f === 1) gg.id = q!.readVarint();
          else if (f === 2) gg.bitmap = q!.readBytes();
          else if (f === 3) gg.width = q!.readVarint();
          else if (f === 4) gg.height = q!.readVarint();
          else if (f === 5) gg.left = q!.readSVarint();
          else if (f === 6) gg.top = q!.readSVarint();
          else if (f === 7) gg.advance = q!.readVarint();
        }, g);
        s.glyphs.push(g);
      }
    }, stack);
  }, stack);
  return stack;
}

describe('glyph PBFs made at build time', () => {
  it('hold every Latin-1 letter Spanish needs, with bitmaps of the size their metrics say', () => {
    const range = decode(glyphRangePbf(font, 'Noto Sans Regular', 0));
    expect(range.name).toBe('Noto Sans Regular');
    expect(range.range).toBe('0-255');
    const ids = new Set(range.glyphs.map((g) => g.id));
    for (const ch of 'ÁÉÍÓÚÑÜáéíóúñü¿¡ AZaz09') expect(ids.has(ch.codePointAt(0)!)).toBe(true);
    for (const g of range.glyphs) {
      if (g.width === 0) continue;
      expect(g.bitmap!.length).toBe((g.width + 2 * SDF.buffer) * (g.height + 2 * SDF.buffer));
    }
    const space = range.glyphs.find((g) => g.id === 32)!;
    expect(space.width).toBe(0);
    expect(space.bitmap).toBeUndefined();
    expect(space.advance).toBeGreaterThan(4);
  });

  it('draws a signed distance field: inside high, edge near 191, outside falling to 0', () => {
    const l = renderGlyph(font, 'l'.codePointAt(0)!)!; // a plain vertical stem
    const w = l.width + 2 * SDF.buffer;
    const row = Math.floor((l.height + 2 * SDF.buffer) / 2);
    const values = [...l.bitmap!.slice(row * w, row * w + w)];
    expect(Math.max(...values)).toBeGreaterThan(200); // the stem's centre
    expect(values[0]).toBeLessThan(140); // 3 px outside the stem
    // Ascending then descending across the stem: a distance field, not a blurred copy.
    const peak = values.indexOf(Math.max(...values));
    for (let i = 1; i <= peak; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    for (let i = peak + 1; i < values.length; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
    // Metrics: 'l' rises to the ascender and advances about a quarter em at 24 px.
    expect(l.advance).toBeGreaterThan(4);
    expect(l.advance).toBeLessThan(9);
    expect(l.height).toBeGreaterThan(15);
  });
});
