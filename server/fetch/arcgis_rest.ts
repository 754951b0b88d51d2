// Every feature of an ArcGIS REST layer (MapServer or FeatureServer), page by page as the service
// allows: resultOffset/resultRecordCount up to the layer's maxRecordCount, on while the answer says
// exceededTransferLimit, ordered by the object id so pages neither overlap nor skip. Asked as Esri
// JSON (every ArcGIS version answers it) in EPSG:4326, and converted with Esri's own converter, which
// turns rings into polygons with holes by their orientation.
import { arcgisToGeoJSON } from '@terraformer/arcgis';
import type { Feature } from 'geojson';
import { getJson, type HttpOptions } from './http_client';

interface LayerInfo {
  maxRecordCount?: number;
  objectIdField?: string;
  fields?: { name: string; type: string }[];
  advancedQueryCapabilities?: { supportsPagination?: boolean };
  error?: { code: number; message: string };
}

interface QueryAnswer {
  features?: { attributes: Record<string, unknown>; geometry?: unknown }[];
  exceededTransferLimit?: boolean;
  error?: { code: number; message: string; details?: string[] };
}

export class ServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

const withQuery = (url: string, q: Record<string, string>) => `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(q)}`;

/** The layer's description: its page size and object id field. */
export async function arcgisLayerInfo(layerUrl: string, http: HttpOptions = {}): Promise<LayerInfo> {
  const info = (await getJson(withQuery(layerUrl, { f: 'json' }), http)) as LayerInfo;
  // ArcGIS answers errors with HTTP 200 and an error object.
  if (info.error) throw new ServiceError(`${layerUrl}: ${info.error.message} (ArcGIS error ${info.error.code})`);
  return info;
}

export interface ArcgisPage {
  features: Feature[];
  offset: number;
}

/** Pages of features as GeoJSON (lon/lat), each feature once. */
export async function* arcgisPages(layerUrl: string, options: { where?: string; pageSize?: number; bbox?: [number, number, number, number]; http?: HttpOptions } = {}): AsyncGenerator<ArcgisPage> {
  const info = await arcgisLayerInfo(layerUrl, options.http);
  const max = info.maxRecordCount ?? 1000;
  const pageSize = Math.min(options.pageSize ?? max, max);
  const oid = info.objectIdField ?? info.fields?.find((f) => f.type === 'esriFieldTypeOID')?.name ?? 'OBJECTID';
  const seen = new Set<unknown>();
  for (let offset = 0; ; ) {
    const answer = (await getJson(
      withQuery(`${layerUrl.replace(/\/$/, '')}/query`, {
        where: options.where ?? '1=1',
        outFields: '*',
        returnGeometry: 'true',
        outSR: '4326',
        orderByFields: oid,
        resultOffset: String(offset),
        resultRecordCount: String(pageSize),
        f: 'json',
        ...(options.bbox ? { geometry: options.bbox.join(','), geometryType: 'esriGeometryEnvelope', inSR: '4326', spatialRel: 'esriSpatialRelIntersects' } : {}),
      }),
      options.http,
    )) as QueryAnswer;
    if (answer.error) throw new ServiceError(`${layerUrl}: ${answer.error.message}${answer.error.details?.length ? ` (${answer.error.details.join('; ')})` : ''}`);
    const raw = answer.features ?? [];
    const features: Feature[] = [];
    for (const f of raw) {
      const id = f.attributes[oid];
      if (id !== undefined && seen.has(id)) continue; // a service that pages loosely repeats a feature
      seen.add(id);
      features.push(arcgisToGeoJSON(f as never, oid) as unknown as Feature);
    }
    yield { features, offset };
    offset += raw.length;
    // The service says whether more remain; a page shorter than asked with no flag is the last.
    if (raw.length === 0 || !answer.exceededTransferLimit) break;
  }
}
