// A small Protomaps-schema basemap of Peru for the PMTiles browser test: land ("earth"), country
// borders ("boundaries") and towns ("places") from Natural Earth (world-atlas) and the shared place
// list, cut into vector tiles z0-z7 with geojson-vt, written as PMTiles.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import geojsonvt from 'geojson-vt';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import vtpbf from 'vt-pbf';
import { peruPlaces } from '../../server/api/places';
import { PmtilesWriter, PmTileType } from '../../server/tiles/pmtiles_writer';

const require = createRequire(import.meta.url);
const PERU: [number, number, number, number] = [-82, -19, -68, 0.5];

function tileRange(z: number, box: readonly [number, number, number, number]): { x0: number; x1: number; y0: number; y1: number } {
  const x = (lon: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const y = (lat: number) => Math.floor(((1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2) * 2 ** z);
  return { x0: x(box[0]), x1: x(box[2]), y0: y(box[3]), y1: y(box[1]) };
}

/** Tiles z0 to `maxZoom` over Peru, or over a smaller box (west, south, east, north) when deep zooms are wanted quickly. */
export function writePeruProtomapsFixture(file: string, maxZoom = 7, box: readonly [number, number, number, number] = PERU): void {
  const topology = JSON.parse(fs.readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8')) as Topology<{ countries: GeometryCollection; land: GeometryCollection }>;
  const land = feature(topology, topology.objects.land) as GeoJSON.FeatureCollection | GeoJSON.Feature;
  const earth: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: ('features' in land ? land.features : [land]).map((f) => ({ ...f, properties: { kind: 'earth' } })) };
  const borders: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'country', kind_detail: 2 }, geometry: mesh(topology, topology.objects.countries, (a, b) => a !== b) }] };
  const places: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: Object.values(peruPlaces).map((p) => ({ type: 'Feature', properties: { kind: 'locality', name: p.name, 'name:es': p.name, 'name:en': p.name, min_zoom: p.rank === 1 ? 3 : 6, population_rank: p.rank === 1 ? 12 : 8 }, geometry: { type: 'Point', coordinates: p.at } })),
  };
  const index = { earth: geojsonvt(earth, { maxZoom }), boundaries: geojsonvt(borders, { maxZoom }), places: geojsonvt(places, { maxZoom }) };
  const tiles: { z: number; x: number; y: number; data: Uint8Array }[] = [];
  for (let z = 0; z <= maxZoom; z++) {
    const r = tileRange(z, box);
    for (let x = r.x0; x <= r.x1; x++) {
      for (let y = r.y0; y <= r.y1; y++) {
        const layers: Record<string, ReturnType<ReturnType<typeof geojsonvt>['getTile']>> = {};
        for (const [name, idx] of Object.entries(index)) {
          const tile = idx.getTile(z, x, y);
          if (tile) layers[name] = tile;
        }
        if (Object.keys(layers).length) tiles.push({ z, x, y, data: vtpbf.fromGeojsonVt(layers as never, { version: 2 }) });
      }
    }
  }
  const writer = new PmtilesWriter(file, {
    tileType: PmTileType.Mvt,
    tileGzip: false,
    bounds: [...box] as [number, number, number, number],
    metadata: { name: 'Atalaya test basemap (Natural Earth)', attribution: 'Natural Earth (public domain)', vector_layers: ['earth', 'boundaries', 'places'].map((id) => ({ id, fields: {} })) },
  });
  for (const t of tiles) writer.add(t.z, t.x, t.y, t.data);
  writer.finish();
}
