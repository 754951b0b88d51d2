import type { Kysely } from 'kysely';
import { contextCollectionId, type AreaCollection, type AreaKind, type AreasQuery, type ContextLayer, type SiteCollection, type SitesQuery } from '../api';
import type { Database } from '../db/schema';
import { areaKindSources, listAreaKinds, listAreas } from '../db/repositories/areas.repository';
import { listSites, type SiteRow } from '../db/repositories/sites.repository';
import { listContextLayers } from '../db/repositories/context_points.repository';

/** A page of areas as a GeoJSON FeatureCollection with numberMatched/numberReturned. */
export async function getAreaCollection(db: Kysely<Database>, query: AreasQuery): Promise<AreaCollection> {
  const { rows, total } = await listAreas(db, query);
  return {
    type: 'FeatureCollection',
    numberMatched: total,
    numberReturned: rows.length,
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.id,
      geometry: JSON.parse(r.geojson),
      properties: { kind: r.kind, sourceId: r.source_id, name: r.name, areaHa: r.area_ha, attributes: r.properties },
    })),
  };
}

/** Registered area kinds with their labels, link distance and number of areas. */
export async function getAreaKinds(db: Kysely<Database>): Promise<AreaKind[]> {
  const [rows, provenance] = await Promise.all([listAreaKinds(db), areaKindSources(db)]);
  return rows.map((r) => ({
    code: r.code,
    label: { en: r.label_en, es: r.label_es },
    linkDistanceM: r.link_distance_m,
    count: r.count,
    sources: uniqueBy(
      provenance
        .filter((p) => p.kind === r.code && p.source)
        // A fetched source's provenance ends with its URL and time ("Agency; https://...; fetched ..."): the map names the agency.
        .map((p) => ({ source: p.source!.split('; ')[0]!, licence: p.licence, synthetic: p.layer === 'demo' })),
      (s) => `${s.source}|${s.licence}`,
    ),
  }));
}

export async function getContextLayers(db: Kysely<Database>): Promise<ContextLayer[]> {
  return (await listContextLayers(db)).map((r) => ({ code: r.code, label: { en: r.label_en, es: r.label_es }, source: r.source, licence: r.licence, count: r.count, collection: contextCollectionId(r.code) }));
}

export function siteRowsToCollection(rows: SiteRow[], total: number): SiteCollection {
  return {
    type: 'FeatureCollection',
    numberMatched: total,
    numberReturned: rows.length,
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.id,
      geometry: JSON.parse(r.geojson),
      properties: {
        name: r.name,
        kind: r.kind,
        activityId: r.activity_id,
        activityCode: r.activity_code,
        priorityArea: r.priority_area_code,
        status: r.status,
        attributes: r.properties,
      },
    })),
  };
}

/** A page of sites as a GeoJSON FeatureCollection. */
export async function getSiteCollection(db: Kysely<Database>, query: SitesQuery): Promise<SiteCollection> {
  const { rows, total } = await listSites(db, { ...query, publishedOnly: true });
  return siteRowsToCollection(rows, total);
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(key(i)) && seen.add(key(i)) !== undefined);
}
