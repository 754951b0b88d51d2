import { describe, expect, it } from 'vitest';
import { activitiesQuerySchema, areasQuerySchema, bboxSchema, exportQuerySchema, rasterTileParamsSchema, vectorTileParamsSchema } from '../../../server/api';

describe('bbox parameter', () => {
  it('parses lon/lat order', () => {
    expect(bboxSchema.parse('-76, -12,-72,-8')).toEqual([-76, -12, -72, -8]);
  });
  it.each(['1,2,3', '1,2,3,4,5', 'a,b,c,d', '-190,0,0,1', '0,-91,1,1', '5,0,1,1', '0,5,1,1'])('rejects %s', (value) => {
    expect(bboxSchema.safeParse(value).success).toBe(false);
  });
});

describe('query schemas', () => {
  it('coerce paging and keep limits within bounds', () => {
    expect(areasQuerySchema.parse({ limit: '20', offset: '40' })).toMatchObject({ limit: 20, offset: 40 });
    expect(areasQuerySchema.parse({})).toMatchObject({ limit: 1000, offset: 0 });
    expect(areasQuerySchema.safeParse({ limit: '100001' }).success).toBe(false);
    expect(areasQuerySchema.safeParse({ offset: '-1' }).success).toBe(false);
  });
  it('check activity filters against the programme codes', () => {
    expect(activitiesQuerySchema.safeParse({ priorityArea: 'F' }).success).toBe(false);
    expect(activitiesQuerySchema.safeParse({ actionArea: 'B9' }).success).toBe(true);
    expect(activitiesQuerySchema.safeParse({ status: 'finished' }).success).toBe(false);
    expect(activitiesQuerySchema.safeParse({ activeOn: '2015-13' }).success).toBe(false);
  });
});

describe('tile paths', () => {
  it('takes z/x/y within the zoom, as numbers', () => {
    expect(vectorTileParamsSchema.parse({ layer: 'forest_concession', z: '3', x: '7', y: '0' })).toEqual({ layer: 'forest_concession', z: 3, x: 7, y: 0 });
    expect(rasterTileParamsSchema.parse({ layer: 'hansen', z: '24', x: '0', y: '16777215' })).toMatchObject({ z: 24, y: 16777215 });
  });
  it.each([
    [{ z: '3', x: '8', y: '0' }, /x is 0..7 at zoom 3/],
    [{ z: '3', x: '0', y: '9' }, /y is 0..7 at zoom 3/],
    [{ z: '23', x: '0', y: '0' }, /z is 0..22/],
    [{ z: '-1', x: '0', y: '0' }, /z is 0..22/],
    [{ z: '2.5', x: '0', y: '0' }, /z is a whole number/],
    [{ z: '3', x: 'a', y: '0' }, /x/],
  ])('refuses %o and says why', (coords, message) => {
    const r = vectorTileParamsSchema.safeParse({ layer: 'sites', ...coords });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join('; ')).toMatch(message);
  });
});

describe('export ids', () => {
  it('refuses ids beyond PostgreSQL integers and overlong lists with a message, not a database error', () => {
    expect(exportQuerySchema.safeParse({ what: 'sites', ids: '1,2,3' }).data?.ids).toEqual([1, 2, 3]);
    expect(exportQuerySchema.safeParse({ what: 'sites', ids: '99999999999999999999' }).error?.issues[0]?.message).toMatch(/at most 2147483647/);
    expect(exportQuerySchema.safeParse({ what: 'sites', ids: Array.from({ length: 10_001 }, (_, i) => i + 1).join(',') }).error?.issues[0]?.message).toMatch(/at most 10000 ids/);
  });
});
