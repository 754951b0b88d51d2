// A Protomaps basemap from a PMTiles file on Atalaya's own server: the pmtiles protocol turns tile
// requests into HTTP range requests; @protomaps/basemaps gives the layers. Loaded only when configured.
import { layers, namedFlavor } from '@protomaps/basemaps';
import type { StyleSpecification } from 'maplibre-gl';
import { pmtilesProtocol } from './pmtiles_protocol';

export function protomapsStyle(fileUrl: string, flavor: 'light' | 'dark' | 'white' | 'grayscale' | 'black', lang: 'en' | 'es', glyphs: string): StyleSpecification {
  pmtilesProtocol();
  return {
    version: 8,
    glyphs,
    sources: { protomaps: { type: 'vector', url: `pmtiles://${fileUrl}`, attribution: '© OpenStreetMap' } },
    layers: layers('protomaps', namedFlavor(flavor), { lang }) as StyleSpecification['layers'],
  };
}
