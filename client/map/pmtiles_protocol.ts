// One pmtiles:// protocol for the whole map: the Protomaps basemap over HTTP and offline packages
// read from the device's storage share it (MapLibre takes one handler per scheme).
import * as maplibregl from 'maplibre-gl';
import { Protocol } from 'pmtiles';

let protocol: Protocol | undefined;

export function pmtilesProtocol(): Protocol {
  if (!protocol) {
    protocol = new Protocol();
    maplibregl.addProtocol('pmtiles', protocol.tile);
  }
  return protocol;
}
