// An offline package on the map: one vector source read from the device (pmtiles://), drawn like the
// online layers (the same area colours, alert colours by confidence, loss yellow to red by year), so
// the field view reads as the office one does. Pure: layer specifications only (unit-tested).
import type { LayerSpecification } from 'maplibre-gl';
import { ALERT_COLORS } from '@atalaya/api';
import { areaKindOrder, areaStyle } from './area_layers';

export const packageSourceId = (id: number) => `package-${id}`;
export const packageLayerPrefix = (id: number) => `package-${id}-`;

/** The package's layers, bottom to top: areas (wide ones first), loss, alerts, its outline, sites. */
export function packageLayers(id: number, kinds: readonly string[], lossYears: [number, number] | null): LayerSpecification[] {
  const source = packageSourceId(id);
  const p = packageLayerPrefix(id);
  const rank = (k: string) => (areaKindOrder.includes(k) ? areaKindOrder.indexOf(k) : areaKindOrder.length);
  const ordered = [...kinds].sort((a, b) => rank(a) - rank(b));
  const out: LayerSpecification[] = [];
  for (const kind of ordered) {
    const s = areaStyle(kind);
    out.push({ id: `${p}${kind}-fill`, type: 'fill', source, 'source-layer': kind, paint: { 'fill-color': s.fill, 'fill-opacity': s.fillOpacity } });
    out.push({ id: `${p}${kind}-line`, type: 'line', source, 'source-layer': kind, paint: { 'line-color': s.line, 'line-width': 1.2 } });
  }
  if (lossYears) {
    const [first, last] = lossYears;
    const color = first === last ? '#e31a1c' : ['interpolate', ['linear'], ['get', 'year'], first, '#ffeda0', (first + last) / 2, '#fd8d3c', last, '#bd0026'];
    out.push({ id: `${p}loss`, type: 'fill', source, 'source-layer': 'loss', paint: { 'fill-color': color as string, 'fill-opacity': 0.85 } });
  }
  out.push({
    id: `${p}alerts`,
    type: 'fill',
    source,
    'source-layer': 'alerts',
    paint: { 'fill-color': ['match', ['get', 'confidence'], 'low', ALERT_COLORS[0], 'high', ALERT_COLORS[1], ALERT_COLORS[2]] as unknown as string, 'fill-opacity': 0.9 },
  });
  out.push({ id: `${p}sites`, type: 'circle', source, 'source-layer': 'sites', paint: { 'circle-radius': 6, 'circle-color': '#1565c0', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
  return out;
}
