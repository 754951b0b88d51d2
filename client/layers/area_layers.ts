// Pure translators from Atalaya's layer descriptors to MapLibre sources and layers (unit-tested).
import type { LayerSpecification } from 'maplibre-gl';

export interface AreaKindStyle {
  fill: string;
  line: string;
  fillOpacity: number;
}

/** Colours per area kind; kinds added later as data get the fallback. */
export const areaKindStyles: Record<string, AreaKindStyle> = {
  watershed: { fill: '#64b5f6', line: '#1565c0', fillOpacity: 0.08 },
  protected_area: { fill: '#66bb6a', line: '#1b5e20', fillOpacity: 0.35 },
  glacier_highland: { fill: '#b3e5fc', line: '#0277bd', fillOpacity: 0.6 },
  forest_concession: { fill: '#d7a86e', line: '#8d5524', fillOpacity: 0.45 },
};
export const fallbackAreaStyle: AreaKindStyle = { fill: '#bdbdbd', line: '#616161', fillOpacity: 0.3 };

/** Drawing order: wide context first, small parcels last so they stay clickable. */
export const areaKindOrder = ['watershed', 'protected_area', 'glacier_highland', 'forest_concession'];

export function areaStyle(kind: string): AreaKindStyle {
  return areaKindStyles[kind] ?? fallbackAreaStyle;
}

export const areaSourceId = (kind: string) => `areas-${kind}`;
/** Vector tiles of one area kind from Atalaya's server (one MVT layer per kind, named by the kind). */
export const areaTileUrl = (origin: string, kind: string) => `${origin}/tiles/${encodeURIComponent(kind)}/{z}/{x}/{y}.mvt`;
export const areaFillLayerId = (kind: string) => `areas-${kind}-fill`;
export const areaLineLayerId = (kind: string) => `areas-${kind}-line`;

export function areaLayers(kind: string, visible: boolean): LayerSpecification[] {
  const s = areaStyle(kind);
  const visibility = visible ? 'visible' : 'none';
  return [
    {
      id: areaFillLayerId(kind),
      type: 'fill',
      source: areaSourceId(kind),
      'source-layer': kind,
      layout: { visibility },
      paint: { 'fill-color': s.fill, 'fill-opacity': s.fillOpacity },
    },
    {
      id: areaLineLayerId(kind),
      type: 'line',
      source: areaSourceId(kind),
      'source-layer': kind,
      layout: { visibility },
      paint: { 'line-color': s.line, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.6, 10, 1.8] },
    },
  ];
}

/** Site colours by priority area A-E. */
export const priorityAreaColors: Record<string, string> = {
  A: '#6a1b9a',
  B: '#2e7d32',
  C: '#f9a825',
  D: '#0277bd',
  E: '#c62828',
};

export const SITES_SOURCE = 'sites';
export const siteLayerIds = ['sites-polygon', 'sites-line', 'sites-point'] as const;

export function siteLayers(visible: boolean): LayerSpecification[] {
  const visibility = visible ? 'visible' : 'none';
  const color: unknown = ['match', ['get', 'priorityArea'], ...Object.entries(priorityAreaColors).flat(), '#424242'];
  return [
    {
      id: 'sites-polygon',
      type: 'fill',
      source: SITES_SOURCE,
      filter: ['==', ['geometry-type'], 'Polygon'],
      layout: { visibility },
      paint: { 'fill-color': color as string, 'fill-opacity': 0.5, 'fill-outline-color': '#212121' },
    },
    {
      id: 'sites-line',
      type: 'line',
      source: SITES_SOURCE,
      filter: ['==', ['geometry-type'], 'LineString'],
      layout: { visibility, 'line-cap': 'round' },
      paint: { 'line-color': color as string, 'line-width': 3, 'line-dasharray': [2, 1] },
    },
    {
      id: 'sites-point',
      type: 'circle',
      source: SITES_SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      layout: { visibility },
      paint: {
        'circle-color': color as string,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 4, 4, 10, 7],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
  ];
}

export const LOSS_SOURCE = 'forest-loss';
export const LOSS_LAYER = 'forest-loss';

/** The tile URL of a loss layer for a year range (the server filters and colours the pixels). */
export function lossTileUrl(layer: string, from: number, to: number, treecover?: string): string {
  // With a tree cover layer, only loss of forest (tree cover 2000 >= 30 %, the server's default) is drawn.
  const mask = treecover ? `&treecover=${encodeURIComponent(treecover)}` : '';
  return `/tiles/rasters/${encodeURIComponent(layer)}/{z}/{x}/{y}.png?from=${from}&to=${to}${mask}`;
}
