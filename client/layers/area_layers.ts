// Pure translators from Atalaya's layer descriptors to MapLibre sources and layers (unit-tested).
import type { LayerSpecification } from 'maplibre-gl';

export interface AreaKindStyle {
  fill: string;
  line: string;
  fillOpacity: number;
  /** Fill colour by an attribute the tiles carry (category of a protected area, type of a concession). */
  byAttribute?: { attribute: string; colors: Record<string, string> };
}

/** Colours per area kind; kinds added later as data get the fallback. */
export const areaKindStyles: Record<string, AreaKindStyle> = {
  // Administrative units are outlines only: context, never hiding what lies inside.
  department: { fill: '#5d4037', line: '#6d4c41', fillOpacity: 0 },
  province: { fill: '#8d6e63', line: '#a1887f', fillOpacity: 0 },
  mining_footprint: { fill: '#e65100', line: '#bf360c', fillOpacity: 0.55 },
  watershed: { fill: '#64b5f6', line: '#1565c0', fillOpacity: 0.08 },
  protected_area: {
    fill: '#66bb6a', line: '#1b5e20', fillOpacity: 0.35,
    // SERNANP categories: strict protection in deep greens, direct use and regional/private lighter.
    byAttribute: {
      attribute: 'category',
      colors: {
        'Parque Nacional': '#2e7d32',
        'Santuario Nacional': '#388e3c',
        'Santuario Histórico': '#689f38',
        'Reserva Nacional': '#7cb342',
        'Reserva Comunal': '#9ccc65',
        'Bosque de Protección': '#26a69a',
        'Área de Conservación Regional': '#aed581',
        'Área de Conservación Privada': '#c5e1a5',
      },
    },
  },
  glacier_highland: { fill: '#b3e5fc', line: '#0277bd', fillOpacity: 0.6 },
  forest_concession: {
    fill: '#d7a86e', line: '#8d5524', fillOpacity: 0.45,
    byAttribute: {
      attribute: 'concession_type',
      colors: { timber: '#a1683a', brazil_nut: '#d7a86e', ecotourism: '#4db6ac', conservation: '#81c784', reforestation: '#dce775' },
    },
  },
};
export const fallbackAreaStyle: AreaKindStyle = { fill: '#bdbdbd', line: '#616161', fillOpacity: 0.3 };

/** Drawing order: wide context first, small parcels last so they stay clickable. */
export const areaKindOrder = ['department', 'province', 'watershed', 'protected_area', 'glacier_highland', 'mining_footprint', 'forest_concession'];

export function areaStyle(kind: string): AreaKindStyle {
  return areaKindStyles[kind] ?? fallbackAreaStyle;
}

/** Legend entries of a kind: one per attribute value it is coloured by, else the kind's colour. */
export function areaLegend(kind: string): { value: string | undefined; color: string }[] {
  const s = areaStyle(kind);
  if (!s.byAttribute) return [{ value: undefined, color: s.fill }];
  return [...Object.entries(s.byAttribute.colors).map(([value, color]) => ({ value, color })), { value: '', color: s.fill }];
}

export const areaSourceId = (kind: string) => `areas-${kind}`;
/** Vector tiles of one area kind from Atalaya's server (one MVT layer per kind, named by the kind). */
export const areaTileUrl = (origin: string, kind: string) => `${origin}/tiles/${encodeURIComponent(kind)}/{z}/{x}/{y}.mvt`;
export const areaFillLayerId = (kind: string) => `areas-${kind}-fill`;
export const areaLineLayerId = (kind: string) => `areas-${kind}-line`;

export function areaLayers(kind: string, visible: boolean, opacity = 1): LayerSpecification[] {
  const s = areaStyle(kind);
  const fill: unknown = s.byAttribute ? ['match', ['coalesce', ['get', s.byAttribute.attribute], ''], ...Object.entries(s.byAttribute.colors).flat(), s.fill] : s.fill;
  const visibility = visible ? 'visible' : 'none';
  return [
    {
      id: areaFillLayerId(kind),
      type: 'fill',
      source: areaSourceId(kind),
      'source-layer': kind,
      layout: { visibility },
      paint: { 'fill-color': fill as string, 'fill-opacity': s.fillOpacity * opacity },
    },
    {
      id: areaLineLayerId(kind),
      type: 'line',
      source: areaSourceId(kind),
      'source-layer': kind,
      layout: { visibility },
      paint: { 'line-color': s.line, 'line-opacity': opacity, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.6, 10, 1.8] },
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

/** Polygon and line sites; point sites live in their own clustered source. */
export const SITES_SOURCE = 'sites';
export const SITE_POINTS_SOURCE = 'site-points';
export const siteLayerIds = ['sites-polygon', 'sites-line', 'sites-cluster', 'sites-cluster-count', 'sites-point'] as const;
/** Point sites closer than this many pixels merge into a numbered cluster, up to SITE_CLUSTER_MAX_ZOOM. */
export const SITE_CLUSTER_RADIUS = 40;
export const SITE_CLUSTER_MAX_ZOOM = 9;
export const LABEL_FONT = ['Noto Sans Medium'];

export function siteLayers(visible: boolean, opacity = 1): LayerSpecification[] {
  const visibility = visible ? 'visible' : 'none';
  const color: unknown = ['match', ['get', 'priorityArea'], ...Object.entries(priorityAreaColors).flat(), '#424242'];
  return [
    {
      id: 'sites-polygon',
      type: 'fill',
      source: SITES_SOURCE,
      filter: ['==', ['geometry-type'], 'Polygon'],
      layout: { visibility },
      paint: { 'fill-color': color as string, 'fill-opacity': 0.5 * opacity, 'fill-outline-color': '#212121' },
    },
    {
      id: 'sites-line',
      type: 'line',
      source: SITES_SOURCE,
      filter: ['==', ['geometry-type'], 'LineString'],
      layout: { visibility, 'line-cap': 'round' },
      paint: { 'line-color': color as string, 'line-width': 3, 'line-dasharray': [2, 1], 'line-opacity': opacity },
    },
    {
      id: 'sites-cluster',
      type: 'circle',
      source: SITE_POINTS_SOURCE,
      filter: ['has', 'point_count'],
      layout: { visibility },
      paint: {
        'circle-color': '#37474f',
        'circle-opacity': 0.85 * opacity,
        'circle-radius': ['step', ['get', 'point_count'], 13, 10, 17, 50, 22],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
        'circle-stroke-opacity': opacity,
      },
    },
    {
      id: 'sites-cluster-count',
      type: 'symbol',
      source: SITE_POINTS_SOURCE,
      filter: ['has', 'point_count'],
      // Always shown, and its padded box (the bubble's size) is kept free of other labels: town names
      // move aside instead of sitting under a cluster (the layer is drawn above the place labels).
      layout: { visibility, 'text-field': ['get', 'point_count_abbreviated'], 'text-font': LABEL_FONT, 'text-size': 12, 'text-allow-overlap': true, 'text-padding': 6 },
      paint: { 'text-color': '#ffffff', 'text-opacity': opacity },
    },
    {
      id: 'sites-point',
      type: 'circle',
      source: SITE_POINTS_SOURCE,
      filter: ['!', ['has', 'point_count']],
      layout: { visibility },
      paint: {
        'circle-color': color as string,
        'circle-opacity': opacity,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 4, 4, 10, 7],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
        'circle-stroke-opacity': opacity,
      },
    },
  ];
}

/** Splits sites into points (clustered) and shapes, keeping only the activities in `activityIds`. */
export function splitSites<F extends { geometry: { type: string } | null; properties: Record<string, unknown> }>(features: F[], activityIds?: Set<number>): { points: F[]; shapes: F[] } {
  const points: F[] = [], shapes: F[] = [];
  for (const f of features) {
    if (activityIds && !activityIds.has(Number(f.properties.activityId))) continue;
    (f.geometry?.type === 'Point' ? points : shapes).push(f);
  }
  return { points, shapes };
}

export const LOSS_SOURCE = 'forest-loss';
export const LOSS_LAYER = 'forest-loss';
export const TREECOVER_SOURCE = 'treecover';
export const TREECOVER_LAYER = 'treecover';

/** Tree cover 2000 tiles (green by percent cover), drawn under the loss. */
export function treecoverTileUrl(layer: string): string {
  return `/tiles/rasters/${encodeURIComponent(layer)}/{z}/{x}/{y}.png`;
}

/** The tile URL of a loss layer for a year range (the server filters and colours the pixels). */
export function lossTileUrl(layer: string, from: number, to: number, treecover?: string): string {
  // With a tree cover layer, only loss of forest (tree cover 2000 >= 30 %, the server's default) is drawn.
  const mask = treecover ? `&treecover=${encodeURIComponent(treecover)}` : '';
  return `/tiles/rasters/${encodeURIComponent(layer)}/{z}/{x}/{y}.png?from=${from}&to=${to}${mask}`;
}
