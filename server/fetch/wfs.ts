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

/** A date condition on one property: features dated on or after `from` (YYYY-MM-DD). */
export interface WfsSince {
  property: string;
  from: string;
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The FES 2.0 filter for --since. WFS 2.0 lets a request carry BBOX or FILTER, not both, so with a
 * date the box moves into the filter (a BBOX operator on the default geometry) and the two are ANDed.
 */
export function wfsFilter(since: WfsSince, bbox?: [number, number, number, number]): string {
  const date = `<fes:PropertyIsGreaterThanOrEqualTo><fes:ValueReference>${xmlText(since.property)}</fes:ValueReference><fes:Literal>${xmlText(since.from)}</fes:Literal></fes:PropertyIsGreaterThanOrEqualTo>`;
  const box = bbox
    ? `<fes:BBOX><gml:Envelope srsName="urn:ogc:def:crs:OGC:1.3:CRS84"><gml:lowerCorner>${bbox[0]} ${bbox[1]}</gml:lowerCorner><gml:upperCorner>${bbox[2]} ${bbox[3]}</gml:upperCorner></gml:Envelope></fes:BBOX>`
    : '';
  return `<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">${box ? `<fes:And>${date}${box}</fes:And>` : date}</fes:Filter>`;
}

export async function* wfsPages(url: string, options: { typeName: string; outputFormat?: string; srsName?: string; pageSize?: number; bbox?: [number, number, number, number]; since?: WfsSince; http?: HttpOptions }): AsyncGenerator<WfsPage> {
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
      ...(options.since ? { FILTER: wfsFilter(options.since, options.bbox) } : options.bbox ? { bbox: `${options.bbox.join(',')},urn:ogc:def:crs:OGC:1.3:CRS84` } : {}),
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
