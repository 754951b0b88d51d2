import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { lossLegend, lossPalette } from '../../../../server/raster/loss_palette';
import { encodePalettePng } from '../../../../server/raster/palette_png';
import { Random } from '../../../../server/util/random';

describe('palette PNG', () => {
  it('decodes (with an independent decoder) to the palette colours of every pixel, index 0 transparent', () => {
    const palette = lossPalette(23);
    const rng = new Random(5);
    const indices = new Uint8Array(256 * 256).map(() => (rng.next() < 0.5 ? 0 : rng.int(1, 23)));
    const png = PNG.sync.read(encodePalettePng(256, 256, indices, palette));
    expect([png.width, png.height]).toEqual([256, 256]);
    for (let i = 0; i < indices.length; i++) {
      const expected = palette[indices[i]!]!;
      const got = [png.data[i * 4], png.data[i * 4 + 1], png.data[i * 4 + 2], png.data[i * 4 + 3]];
      if (expected[3] === 0) expect(got[3], `pixel ${i}`).toBe(0);
      else expect(got, `pixel ${i}`).toEqual(expected);
    }
  });
  it('ramps from yellow in 2001 to red in the last year, with a legend of every year', () => {
    const legend = lossLegend(23);
    expect(legend.entries).toHaveLength(23);
    expect(legend.entries[0]).toEqual({ year: 2001, code: 1, color: '#ffe050' });
    expect(legend.entries[22]).toEqual({ year: 2023, code: 23, color: '#c81428' });
  });
  it('refuses a size that does not match the pixels', () => {
    expect(() => encodePalettePng(2, 2, new Uint8Array(3), [[0, 0, 0, 0]])).toThrow(/expected 4 pixels/);
  });
});
