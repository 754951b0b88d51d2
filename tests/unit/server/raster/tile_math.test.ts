import { describe, expect, it } from 'vitest';
import { isValidTile, latToTileY, lonToTileX, tileBounds, tileXToLon, tileYToLat } from '../../../../server/raster/tile_math';

describe('Web Mercator tile maths', () => {
  it('inverts exactly for every tile edge up to zoom 10', () => {
    for (let z = 0; z <= 10; z++) {
      for (let i = 0; i <= 2 ** z; i++) {
        expect(lonToTileX(tileXToLon(i, z), z)).toBeCloseTo(i, 6);
        if (i > 0 && i < 2 ** z) expect(latToTileY(tileYToLat(i, z), z)).toBeCloseTo(i, 6);
      }
    }
  });
  it('gives adjacent tiles shared edges and the world at zoom 0', () => {
    expect(tileBounds(0, 0, 0)).toMatchObject({ west: -180, east: 180 });
    expect(tileBounds(0, 0, 0).north).toBeCloseTo(85.0511, 3);
    const a = tileBounds(10, 313, 548);
    const b = tileBounds(10, 314, 549);
    expect(a.east).toBe(b.west);
    expect(a.south).toBe(b.north);
    // Puerto Maldonado (-69.19, -12.59) lies in 10/315/548.
    expect([Math.floor(lonToTileX(-69.19, 10)), Math.floor(latToTileY(-12.59, 10))]).toEqual([315, 548]);
  });
  it('accepts only tiles that exist', () => {
    expect(isValidTile(3, 7, 7)).toBe(true);
    expect(isValidTile(3, 8, 0)).toBe(false);
    expect(isValidTile(-1, 0, 0)).toBe(false);
    expect(isValidTile(2.5, 0, 0)).toBe(false);
    expect(isValidTile(25, 0, 0)).toBe(false);
  });
});
