// The basemap, offline by default: land, countries and borders from Natural Earth 1:50m
// (world-atlas, served by Atalaya as a static asset of the build) with place labels from the
// coordinates in the shared contract, in glyphs made at build time (scripts/glyphs). A local PMTiles
// file styled with @protomaps/basemaps, or an online style URL, replace it when configured.
import type { FeatureCollection, Geometry, MultiLineString } from 'geojson';
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';
import { peruPlaces, type ClientConfig } from '@atalaya/api';
import { fetchTopology } from '../api/client';

type Countries = Topology<{ countries: GeometryCollection<{ name: string }>; land: GeometryCollection }>;

export const PERU_ID = '604';
/** West, south, east, north of the part of the world the basemap draws. */
const REGION = [-120, -60, -25, 25];

function intersectsRegion(g: Geometry | null): boolean {
  let hit = false;
  const visit = (c: unknown): void => {
    if (hit) return;
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      hit = x >= REGION[0]! && x <= REGION[2]! && y >= REGION[1]! && y <= REGION[3]!;
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  if (g && 'coordinates' in g) visit(g.coordinates);
  return hit;
}
/** Glyphs are files of this build (vite_glyphs_plugin), never an online glyph server. */
export const glyphsUrl = () => `${location.origin}/glyphs/{fontstack}/{range}.pbf`;

export interface BasemapData {
  countries: FeatureCollection;
  borders: MultiLineString;
  peru: FeatureCollection;
}

export async function loadBasemapData(signal?: AbortSignal): Promise<BasemapData> {
  const topology = (await fetchTopology(countriesUrl, signal)) as unknown as Countries;
  const all = feature(topology, topology.objects.countries) as FeatureCollection;
  // Only the Americas south of Mexico: the map never leaves Peru's surroundings, and the worker then
  // indexes a tenth of the world's outlines.
  const countries: FeatureCollection = { type: 'FeatureCollection', features: all.features.filter((f) => intersectsRegion(f.geometry)) };
  const near = new Set(countries.features.map((f) => f.id));
  const borders = mesh(topology, topology.objects.countries, (a, b) => a !== b && (near.has(a.id) || near.has(b.id)));
  const peru: FeatureCollection = {
    type: 'FeatureCollection',
    features: countries.features.filter((f) => f.id === PERU_ID),
  };
  return { countries, borders, peru };
}

export function placesCollection(): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: Object.entries(peruPlaces).map(([key, p]) => ({ type: 'Feature', properties: { key, name: p.name, rank: p.rank }, geometry: { type: 'Point', coordinates: p.at } })),
  };
}

/** Towns appear from zoom 6.5, cities from the start; labels never hide each other's dots. */
export function placeLayers(): LayerSpecification[] {
  const minRank: unknown = ['step', ['zoom'], ['==', ['get', 'rank'], 1], 6.5, true];
  return [
    { id: 'place-dots', type: 'circle', source: 'places', filter: minRank as boolean, paint: { 'circle-radius': ['match', ['get', 'rank'], 1, 3, 2], 'circle-color': '#37332b', 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } },
    {
      id: 'place-labels',
      type: 'symbol',
      source: 'places',
      filter: minRank as boolean,
      layout: { 'text-field': ['get', 'name'], 'text-font': ['Noto Sans Regular'], 'text-size': ['match', ['get', 'rank'], 1, 13, 11], 'text-variable-anchor': ['left', 'right', 'top', 'bottom'], 'text-radial-offset': 1.3, 'text-optional': true },
      paint: { 'text-color': '#37332b', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.4 },
    },
  ];
}

export function naturalEarthStyle(data: BasemapData): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    countries: { type: 'geojson', data: data.countries },
    borders: { type: 'geojson', data: { type: 'Feature', geometry: data.borders, properties: {} } },
    peru: { type: 'geojson', data: data.peru },
    places: { type: 'geojson', data: placesCollection() },
  };
  const layers: LayerSpecification[] = [
    { id: 'ocean', type: 'background', paint: { 'background-color': '#cfe1ea' } },
    { id: 'countries', type: 'fill', source: 'countries', paint: { 'fill-color': '#ecebe4' } },
    { id: 'peru-fill', type: 'fill', source: 'peru', paint: { 'fill-color': '#f8f7f1' } },
    { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#9e9a8f', 'line-width': 0.8 } },
    { id: 'peru-outline', type: 'line', source: 'peru', paint: { 'line-color': '#5d564a', 'line-width': 1.6 } },
    ...placeLayers(),
  ];
  return { version: 8, glyphs: glyphsUrl(), sources, layers };
}

/** The basemap style the server's configuration asks for, with its attribution. */
/**
 * The default basemap's data, fetched at once when the page starts (before the server says which
 * basemap it serves): it is the default, and waiting for the configuration first cost a round trip.
 */
let early: Promise<BasemapData> | undefined;
export function prefetchNaturalEarth(): void {
  early ??= loadBasemapData();
  early.catch(() => undefined); // a failure is reported when the basemap is asked for
}

export async function basemapStyle(config: ClientConfig['basemap'], lang: 'en' | 'es'): Promise<{ style: StyleSpecification | string; attribution: string }> {
  if (config.type === 'pmtiles') {
    const { protomapsStyle } = await import('./basemap_pmtiles');
    return { style: protomapsStyle(`${location.origin}${config.url}`, config.flavor, lang, glyphsUrl()), attribution: '© OpenStreetMap contributors · Protomaps' };
  }
  if (config.type === 'style') return { style: config.url, attribution: '' };
  return { style: naturalEarthStyle(await (early ?? loadBasemapData())), attribution: 'Natural Earth' };
}
