import { describe, expect, it } from 'vitest';
import { geometryFromUpload } from '../../../client/map/upload_shape';

const poly = (x: number) => ({ type: 'Polygon', coordinates: [[[x, -12], [x + 0.1, -12], [x + 0.1, -11.9], [x, -12]]] });

describe('uploaded shapes', () => {
  it('merges the polygons of a collection into one MultiPolygon, preferring polygons to lines and points', () => {
    const fc = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: {}, geometry: poly(-70) },
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [-70, -12] } },
      { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [poly(-69).coordinates] } },
    ] };
    const g = geometryFromUpload(JSON.stringify(fc));
    expect(g.type).toBe('MultiPolygon');
    expect((g as GeoJSON.MultiPolygon).coordinates).toHaveLength(2);
    expect(geometryFromUpload(JSON.stringify({ type: 'LineString', coordinates: [[-70, -12], [-69, -12]] })).type).toBe('MultiLineString');
  });

  it('says what is wrong with a bad file', () => {
    expect(() => geometryFromUpload('{"type":')).toThrow('not_json');
    expect(() => geometryFromUpload('{"type":"FeatureCollection","features":[]}')).toThrow('no_geometry');
    expect(() => geometryFromUpload(JSON.stringify({ type: 'Point', coordinates: [480000, 8600000] }))).toThrow('not_lonlat');
  });
});
