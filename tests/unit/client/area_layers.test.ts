import { describe, expect, it } from 'vitest';
import { areaLayers, areaStyle, areaTileUrl, fallbackAreaStyle, siteLayers } from '../../../client/layers/area_layers';

describe('area layer translator', () => {
  it('gives each kind a fill and an outline on its own vector tile source and layer, honouring visibility', () => {
    const layers = areaLayers('protected_area', false);
    expect(layers.map((l) => [l.id, l.type, 'source' in l ? l.source : undefined, 'source-layer' in l ? l['source-layer'] : undefined, l.layout?.visibility])).toEqual([
      ['areas-protected_area-fill', 'fill', 'areas-protected_area', 'protected_area', 'none'],
      ['areas-protected_area-line', 'line', 'areas-protected_area', 'protected_area', 'none'],
    ]);
    expect(areaTileUrl('http://x', 'forest_concession')).toBe('http://x/tiles/forest_concession/{z}/{x}/{y}.mvt');
  });
  it('styles kinds added later as data with the fallback', () => {
    expect(areaStyle('mining_area')).toBe(fallbackAreaStyle);
    expect(areaStyle('forest_concession')).not.toBe(fallbackAreaStyle);
  });
  it('splits sites by geometry type and colours them by priority area', () => {
    const layers = siteLayers(true);
    expect(layers.map((l) => ('filter' in l ? l.filter : undefined))).toEqual([
      ['==', ['geometry-type'], 'Polygon'],
      ['==', ['geometry-type'], 'LineString'],
      ['==', ['geometry-type'], 'Point'],
    ]);
    const point = layers[2]!;
    expect(point.type === 'circle' && JSON.stringify(point.paint?.['circle-color'])).toContain('"priorityArea"');
  });
});
