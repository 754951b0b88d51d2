import { describe, expect, it } from 'vitest';
import { tileName, tilesOfBbox, tilesOfRegion, tileUrl } from '../../../../server/fetch/tile_grid';
import { peruOutline } from '../../../../server/seed/peru_outline';

describe('the 10-degree tile grid (Hansen GFC naming)', () => {
  it('names tiles by their upper-left corner, as the published files are', () => {
    // Published names: Hansen_GFC-2023-v1.11_lossyear_10S_070W.tif covers 10-20 S, 70-60 W.
    expect(tileName(-10, -70)).toBe('10S_070W');
    expect(tileName(0, -80)).toBe('00N_080W');
    expect(tileName(50, 10)).toBe('50N_010E');
    expect(tileName(10, -180)).toBe('10N_180W');
  });

  it('lists the tiles a box touches, not those it only borders', () => {
    expect(tilesOfBbox([-80, -20, -60, 0]).map((t) => t.name)).toEqual(['00N_080W', '00N_070W', '10S_080W', '10S_070W']);
    expect(tilesOfBbox([-70.8, -13.35, -68.85, -12.25]).map((t) => t.name)).toEqual(['10S_080W', '10S_070W']); // Madre de Dios straddles 70 W
    expect(tilesOfBbox([-69.5, -13, -69, -12]).map((t) => t.bbox)).toEqual([[-70, -20, -60, -10]]);
    expect(() => tilesOfBbox([-60, -10, -70, 0])).toThrow(/west < east/);
  });

  it('covers all of Peru with five tiles, one fewer than its box', () => {
    expect(tilesOfRegion(peruOutline()).map((t) => t.name)).toEqual(['00N_090W', '00N_080W', '00N_070W', '10S_080W', '10S_070W']);
    const [w, s, e, n] = [-81.4, -18.4, -68.6, -0.03];
    expect(tilesOfBbox([w, s, e, n])).toHaveLength(6);
  });

  it('fills a URL template', () => {
    expect(tileUrl('https://storage.googleapis.com/earthenginepartners-hansen/GFC-{version}/Hansen_GFC-{version}_{layer}_{tile}.tif', { version: '2023-v1.11', layer: 'lossyear', tile: '10S_070W' }))
      .toBe('https://storage.googleapis.com/earthenginepartners-hansen/GFC-2023-v1.11/Hansen_GFC-2023-v1.11_lossyear_10S_070W.tif');
  });
});
