// The offline basemap: land, countries and borders from Natural Earth 1:50m (world-atlas), no network
// beyond Atalaya's own server, which serves the TopoJSON file as a static asset of the build.
import type { FeatureCollection, MultiLineString } from 'geojson';
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';

type Countries = Topology<{ countries: GeometryCollection<{ name: string }>; land: GeometryCollection }>;

export const PERU_ID = '604';

export interface BasemapData {
  countries: FeatureCollection;
  borders: MultiLineString;
  peru: FeatureCollection;
}

export async function loadBasemapData(signal?: AbortSignal): Promise<BasemapData> {
  const res = await fetch(countriesUrl, { signal });
  if (!res.ok) throw new Error(`basemap data answered ${res.status}`);
  const topology = (await res.json()) as Countries;
  const countries = feature(topology, topology.objects.countries) as FeatureCollection;
  const borders = mesh(topology, topology.objects.countries, (a, b) => a !== b);
  const peru: FeatureCollection = {
    type: 'FeatureCollection',
    features: countries.features.filter((f) => f.id === PERU_ID),
  };
  return { countries, borders, peru };
}

export function basemapStyle(data: BasemapData): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    countries: { type: 'geojson', data: data.countries },
    borders: { type: 'geojson', data: { type: 'Feature', geometry: data.borders, properties: {} } },
    peru: { type: 'geojson', data: data.peru },
  };
  const layers: LayerSpecification[] = [
    { id: 'ocean', type: 'background', paint: { 'background-color': '#cfe1ea' } },
    { id: 'countries', type: 'fill', source: 'countries', paint: { 'fill-color': '#ecebe4' } },
    { id: 'peru-fill', type: 'fill', source: 'peru', paint: { 'fill-color': '#f8f7f1' } },
    { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#9e9a8f', 'line-width': 0.8 } },
    { id: 'peru-outline', type: 'line', source: 'peru', paint: { 'line-color': '#5d564a', 'line-width': 1.6 } },
  ];
  return { version: 8, sources, layers };
}
