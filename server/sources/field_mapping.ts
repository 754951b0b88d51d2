// A source's fields as Atalaya reads them: the mapped ones under the names the app uses (a
// concession's holder, type and contract start for the review), the rest kept as they came.
import type { Feature } from 'geojson';
import type { FieldMap } from './catalogue_schema';

/** The declared fields a feature lacks (a source that changed its schema): [] when it has them all. */
export function missingFields(properties: Record<string, unknown> | null, fields: FieldMap): string[] {
  const have = new Set(Object.keys(properties ?? {}));
  const declared = [fields.id, fields.name, fields.category, fields.holder, fields.start, fields.end].filter((f): f is string => f !== undefined);
  return declared.filter((f) => !have.has(f));
}

/** Where a mapped field goes, by area kind (the review reads concession_type, holder, contract_start). */
function canonicalNames(kind: string | undefined) {
  return kind === 'forest_concession'
    ? { category: 'concession_type', holder: 'holder', start: 'contract_start', end: 'contract_end' }
    : { category: 'category', holder: 'holder', start: 'start_date', end: 'end_date' };
}

const isoDate = (v: unknown): unknown => {
  // ArcGIS dates are epoch milliseconds; text dates pass through.
  if (typeof v === 'number' && v > 1e11) return new Date(v).toISOString().slice(0, 10);
  return v;
};

/**
 * One area from rows that share an id: SERNANP's service returns a protected area of several
 * disjoint parts as several rows with the same code (RN18 four times), so their polygons are joined
 * into one MultiPolygon instead of the last row replacing the others.
 */
export function joinParts(a: Feature, b: Feature): Feature {
  const parts = (g: Feature['geometry']): number[][][][] => (g?.type === 'Polygon' ? [g.coordinates as number[][][]] : g?.type === 'MultiPolygon' ? (g.coordinates as number[][][][]) : []);
  return { ...a, geometry: { type: 'MultiPolygon', coordinates: [...parts(a.geometry), ...parts(b.geometry)] } };
}

export function mapFeature(f: Feature, fields: FieldMap, kind: string | undefined): Feature {
  const p = (f.properties ?? {}) as Record<string, unknown>;
  const names = canonicalNames(kind);
  const kept = fields.keep ? Object.fromEntries(fields.keep.filter((k) => k in p).map((k) => [k, p[k]])) : { ...p };
  const out: Record<string, unknown> = { ...kept, [fields.id]: p[fields.id], [fields.name]: p[fields.name] };
  for (const k of ['category', 'holder', 'start', 'end'] as const) {
    const from = fields[k];
    if (from !== undefined) out[names[k]] = k === 'start' || k === 'end' ? isoDate(p[from]) : p[from];
  }
  return { type: 'Feature', geometry: f.geometry, properties: out };
}

/** The mapped start date of a feature from mapFeature (contract_start for concessions, start_date otherwise). */
export function startOf(mapped: Feature, kind: string | undefined): unknown {
  return (mapped.properties as Record<string, unknown> | null)?.[canonicalNames(kind).start];
}

/**
 * Whether a start date is on or after `from` (YYYY-MM-DD). A date that is not ISO text (a service's
 * own format) passed the service's filter and is kept: the check only drops what is surely older.
 */
export function onOrAfter(start: unknown, from: string): boolean {
  return !(typeof start === 'string' && /^\d{4}-\d{2}-\d{2}/.test(start)) || start.slice(0, 10) >= from;
}
