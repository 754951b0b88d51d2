// A Protomaps basemap from a PMTiles file on Atalaya's own server: the pmtiles protocol turns tile
// requests into HTTP range requests; @protomaps/basemaps gives the layers. Loaded only when configured.
import * as maplibregl from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import { layers, namedFlavor } from '@protomaps/basemaps';
import type { StyleSpecification } from 'maplibre-gl';

let registered = false;

export function protomapsStyle(fileUrl: string, flavor: 'light' | 'dark' | 'white' | 'grayscale' | 'black', lang: 'en' | 'es', glyphs: string): StyleSpecification {
  if (!registered) {
    maplibregl.addProtocol('pmtiles', new Protocol().tile);
    registered = true;
  }
  return {
    version: 8,
    glyphs,
    sources: { protomaps: { type: 'vector', url: `pmtiles://${fileUrl}`, attribution: '© OpenStreetMap' } },
    layers: layers('protomaps', namedFlavor(flavor), { lang }) as StyleSpecification['layers'],
  };
}
