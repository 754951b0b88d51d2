import { createRequire } from 'node:module';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

const require = createRequire(import.meta.url);

/** Peru's outline from Natural Earth 1:50m, as packaged by world-atlas (ISO 3166 numeric 604). */
export function peruOutline(): Feature<Polygon | MultiPolygon, { name: string; source: string }> {
  const topology = require('world-atlas/countries-50m.json') as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const peru = topology.objects.countries.geometries.find((g) => g.id === '604');
  if (!peru) throw new Error('world-atlas no longer has Peru (id 604) in countries-50m.json');
  const f = feature(topology, peru) as Feature<Polygon | MultiPolygon, { name: string }>;
  return { ...f, properties: { name: 'Perú', source: 'Natural Earth 1:50m via world-atlas 2 (public domain)' } };
}
