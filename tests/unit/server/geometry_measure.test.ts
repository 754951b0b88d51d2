// The structure and size check that runs before any geometry library sees user geometry.
import { describe, expect, it } from 'vitest';
import { checkLimits, GEOMETRY_LIMITS } from '../../../server/geometry/limits';
import { measureGeometry } from '../../../server/geometry/measure';
import { vertexCountOf } from '../../../server/import/vertex_count';
import { starPolygon } from '../../helpers/star_polygon';

const square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]];

describe('measureGeometry', () => {
  it('counts vertices and parts of every type', () => {
    expect(measureGeometry({ type: 'Point', coordinates: [1, 2] })).toEqual({ type: 'Point', vertices: 1, parts: 1 });
    expect(measureGeometry({ type: 'Polygon', coordinates: square })).toEqual({ type: 'Polygon', vertices: 5, parts: 1 });
    expect(measureGeometry({ type: 'MultiPolygon', coordinates: [square, square] })).toEqual({ type: 'MultiPolygon', vertices: 10, parts: 2 });
    expect(measureGeometry({ type: 'GeometryCollection', geometries: [{ type: 'LineString', coordinates: [[0, 0], [1, 1]] }, { type: 'MultiPoint', coordinates: [[0, 0], [1, 1], [2, 2]] }] })).toEqual({ type: 'GeometryCollection', vertices: 5, parts: 4 });
    expect(measureGeometry(starPolygon(46_000)).vertices).toBe(46_001);
  });

  it('refuses malformed geometry with a message that says what to fix', () => {
    expect(() => measureGeometry({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0.5]]] })).toThrow(/not closed/);
    expect(() => measureGeometry({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] })).toThrow(/at least 4 positions/);
    expect(() => measureGeometry({ type: 'Point', coordinates: [500000, 8600000] })).toThrow(/EPSG:4326/);
    expect(() => measureGeometry({ type: 'Point', coordinates: ['a', 1] })).toThrow(/finite numbers/);
    expect(() => measureGeometry({ type: 'LineString', coordinates: [[0, NaN], [1, 1]] })).toThrow(/finite numbers/);
    expect(() => measureGeometry({ type: 'Circle', coordinates: [0, 0] })).toThrow(/unknown type/);
    expect(() => measureGeometry({ type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [] }] })).toThrow(/inside another/);
    expect(() => measureGeometry(null)).toThrow(/geometry object/);
  });
});

describe('checkLimits', () => {
  it('refuses with 413 past the vertex or part limit, naming both numbers', () => {
    expect(() => checkLimits({ type: 'Polygon', vertices: 20_000, parts: 1 }, GEOMETRY_LIMITS.public)).not.toThrow();
    expect(() => checkLimits({ type: 'Polygon', vertices: 20_001, parts: 1 }, GEOMETRY_LIMITS.public)).toThrow(/20,001 vertices \(the limit is 20,000\)/);
    expect(() => checkLimits({ type: 'MultiPolygon', vertices: 5000, parts: 1001 }, GEOMETRY_LIMITS.public)).toThrow(/1,001 parts/);
    try {
      checkLimits({ type: 'Polygon', vertices: 300_000, parts: 1 }, GEOMETRY_LIMITS.admin);
    } catch (e) {
      expect((e as { code: string }).code).toBe('payload_too_large');
    }
  });
});

describe('vertexCountOf (raw import geometry)', () => {
  it('counts GeoJSON positions, WKB points (plain, EWKB with SRID and Z, multi) and WKT', () => {
    expect(vertexCountOf({ kind: 'geojson', text: JSON.stringify({ type: 'Polygon', coordinates: square }) })).toBe(5);
    expect(vertexCountOf({ kind: 'geojson', text: '{"type":"MultiPoint","coordinates":[ [ -1.5, 2 ], [3e2, 4] ]}' })).toBe(2);
    // POLYGON((0 0,1 0,1 1,0 0)) as little-endian WKB
    const ring = [[0, 0], [1, 0], [1, 1], [0, 0]];
    const wkb = Buffer.alloc(1 + 4 + 4 + 4 + ring.length * 16);
    wkb.writeUInt8(1, 0);
    wkb.writeUInt32LE(3, 1);
    wkb.writeUInt32LE(1, 5);
    wkb.writeUInt32LE(ring.length, 9);
    ring.forEach(([x, y], i) => (wkb.writeDoubleLE(x!, 13 + i * 16), wkb.writeDoubleLE(y!, 21 + i * 16)));
    expect(vertexCountOf({ kind: 'wkb', hex: wkb.toString('hex') })).toBe(4);
    // MULTIPOINT Z with an SRID (EWKB): two points of three coordinates
    const multi = Buffer.alloc(1 + 4 + 4 + 4 + 2 * (1 + 4 + 24));
    multi.writeUInt8(1, 0);
    multi.writeUInt32LE((4 | 0x80000000 | 0x20000000) >>> 0, 1);
    multi.writeUInt32LE(4326, 5);
    multi.writeUInt32LE(2, 9);
    for (let p = 0; p < 2; p++) {
      const at = 13 + p * 29;
      multi.writeUInt8(1, at);
      multi.writeUInt32LE((1 | 0x80000000) >>> 0, at + 1);
    }
    expect(vertexCountOf({ kind: 'wkb', hex: multi.toString('hex') })).toBe(2);
    expect(vertexCountOf({ kind: 'wkt', text: 'POLYGON((0 0,1 0,1 1,0 0))' })).toBeGreaterThanOrEqual(4);
  });
});
