// GeoJSON documents assembled as text from rows whose geometry and properties PostGIS already wrote
// as JSON: parsing and re-serialising each row would double the work of a large page or export.
/** One Feature; `geometry` and `properties` are JSON text, `extra` members are serialised here. */
export function featureText(id: number, geometry: string | null, properties: string, extra?: Record<string, unknown>): string {
  const more = extra ? Object.entries(extra).map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`).join('') : '';
  return `{"type":"Feature","id":${id},"geometry":${geometry ?? 'null'},"properties":${properties}${more}}`;
}

/** The head of a FeatureCollection up to its `features` array, members first (a streamed export writes the rest). */
export function featureCollectionHead(members: Record<string, unknown> = {}): string {
  const more = Object.entries(members).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`).join('');
  return `{"type":"FeatureCollection",${more}"features":[`;
}

export const FEATURE_COLLECTION_TAIL = ']}';

export function featureCollectionText(features: readonly string[], members: Record<string, unknown> = {}): string {
  return `${featureCollectionHead(members)}${features.join(',')}${FEATURE_COLLECTION_TAIL}`;
}
