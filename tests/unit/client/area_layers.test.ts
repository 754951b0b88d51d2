import { describe, expect, it } from 'vitest';
import { areaLayers, areaLegend, areaStyle, areaTileUrl, fallbackAreaStyle, siteLayers, splitSites } from '../../../client/layers/area_layers';

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
  it('draws polygon and line sites from one source and clusters point sites in another, coloured by priority area', () => {
    const layers = siteLayers(true, 0.5);
    expect(layers.map((l) => [l.id, 'source' in l ? l.source : undefined, 'filter' in l ? JSON.stringify(l.filter) : undefined])).toEqual([
      ['sites-polygon', 'sites', '["==",["geometry-type"],"Polygon"]'],
      ['sites-line', 'sites', '["==",["geometry-type"],"LineString"]'],
      ['sites-cluster', 'site-points', '["has","point_count"]'],
      ['sites-cluster-count', 'site-points', '["has","point_count"]'],
      ['sites-point', 'site-points', '["!",["has","point_count"]]'],
    ]);
    const point = layers[4]!;
    expect(point.type === 'circle' && JSON.stringify(point.paint?.['circle-color'])).toContain('"priorityArea"');
    expect(point.type === 'circle' && point.paint?.['circle-opacity']).toBe(0.5);
  });

  it('splits sites into points and shapes, keeping only the filtered activities', () => {
    const f = (type: string, activityId: number) => ({ geometry: { type }, properties: { activityId } });
    const all = [f('Point', 1), f('Polygon', 1), f('Point', 2), f('LineString', 3)];
    expect(splitSites(all)).toEqual({ points: [all[0], all[2]], shapes: [all[1], all[3]] });
    expect(splitSites(all, new Set([1]))).toEqual({ points: [all[0]], shapes: [all[1]] });
  });

  it('colours protected areas by category and concessions by type, with a legend entry each and a fallback', () => {
    const [fill] = areaLayers('forest_concession', true, 0.5);
    const paint = fill!.type === 'fill' ? fill.paint! : {};
    expect(JSON.stringify(paint['fill-color'])).toContain('"concession_type"');
    expect(paint['fill-opacity']).toBeCloseTo(0.45 * 0.5);
    expect(areaLegend('protected_area').map((e) => e.value)).toContain('Parque Nacional');
    expect(areaLegend('protected_area').at(-1)).toEqual({ value: '', color: areaStyle('protected_area').fill });
    expect(areaLegend('watershed')).toEqual([{ value: undefined, color: areaStyle('watershed').fill }]);
  });
});
