// The Protomaps basemap an offline package carries when the server has one configured: the same
// @protomaps/basemaps layers as the online PMTiles basemap, read from the package's own source. Only
// the drawn layers: labels and icons need glyphs and sprites the package does not hold, and a
// background would hide the rest of the map around the package. Loaded only when a package has it.
import { layers, namedFlavor } from '@protomaps/basemaps';
import type { LayerSpecification } from 'maplibre-gl';

export function packageBasemapLayers(source: string, prefix: string, lang: 'en' | 'es'): LayerSpecification[] {
  return (layers(source, namedFlavor('light'), { lang }) as LayerSpecification[])
    .filter((l) => l.type !== 'symbol' && l.type !== 'background')
    .map((l) => ({ ...l, id: `${prefix}basemap-${l.id}` }));
}
