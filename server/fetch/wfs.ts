// Every feature of an OGC WFS 2.0 feature type, page by page (startIndex/count), as GeoJSON. The
// CRS asked for is CRS84 by default: WFS 2.0's "EPSG:4326" means latitude first, which would put
// Peru in the Indian Ocean.
import type { Feature, FeatureCollection } from 'geojson';
import { getJson, type HttpOptions } from './http_client';
import { ServiceError } from './arcgis_rest';

export interface WfsPage {
  features: Feature[];
  offset: number;
  /** numberMatched when the server says it. */
  matched: number | undefined;
}

export async function* wfsPages(url: string, options: { typeName: string; outputFormat?: string; srsName?: string; pageSize?: number; bbox?: [number, number, number, number]; http?: HttpOptions }): AsyncGenerator<WfsPage> {
  const pageSize = options.pageSize ?? 1000;
  const seen = new Set<unknown>();
  for (let offset = 0; ; ) {
    const q = new URLSearchParams({
      service: 'WFS',
      version: '2.0.0',
      request: 'GetFeature',
      typeNames: options.typeName,
      outputFormat: options.outputFormat ?? 'application/json',
      srsName: options.srsName ?? 'urn:ogc:def:crs:OGC:1.3:CRS84',
      startIndex: String(offset),
      count: String(pageSize),
      ...(options.bbox ? { bbox: `${options.bbox.join(',')},urn:ogc:def:crs:OGC:1.3:CRS84` } : {}),
    });
    const answer = (await getJson(`${url}${url.includes('?') ? '&' : '?'}${q}`, options.http)) as Partial<FeatureCollection> & { numberMatched?: number | 'unknown'; exceptions?: unknown };
    if (!Array.isArray(answer.features)) throw new ServiceError(`${url}: the answer to GetFeature is not GeoJSON (${JSON.stringify(answer).slice(0, 160)})`);
    const features: Feature[] = [];
    for (const f of answer.features) {
      if (f.id !== undefined && seen.has(f.id)) continue;
      seen.add(f.id);
      features.push(f);
    }
    const matched = typeof answer.numberMatched === 'number' ? answer.numberMatched : undefined;
    yield { features, offset, matched };
    offset += answer.features.length;
    if (answer.features.length < pageSize || (matched !== undefined && offset >= matched)) break;
  }
}
