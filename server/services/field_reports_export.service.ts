// Field reports as files for desktop tools: GeoJSON (points at the reporter's position, the refined
// outline as a property), CSV and GeoPackage, one row per report, photos as links. What a reader
// may see (the public: accepted reports, no names) is the same as in the API.
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { FieldReport } from '../api';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { writeGeoPackage } from '../exports/geopackage';
import { pointWkb } from '../exports/point_wkb';
import { fieldReports } from './field_reports.service';

/** Most reports one export holds (each row is small; a programme files a few thousand a year). */
export const MAX_EXPORT_REPORTS = 50_000;

function flat(r: FieldReport, base: string): Record<string, string | number | null> {
  return {
    id: r.id,
    kind: r.kind,
    agency: r.agency,
    alert_id: r.alert?.id ?? null,
    alert_layer: r.alert?.layer ?? null,
    alert_date: r.alert?.date ?? null,
    alert_ha: r.alert?.area_ha ?? null,
    result: r.result,
    cause: r.cause,
    outline_ha: r.outline_ha,
    outline: r.outline ? JSON.stringify(r.outline) : null,
    notes: r.notes,
    site_id: r.site?.id ?? null,
    site_name: r.site?.name ?? null,
    observations: r.observations,
    measurements: r.measurements.length ? JSON.stringify(r.measurements) : null,
    lon: r.position.lon,
    lat: r.position.lat,
    accuracy_m: r.position.accuracy_m,
    observed_at: r.observed_at,
    received_at: r.received_at,
    author: r.author,
    review_status: r.review.status,
    reviewed_at: r.review.at,
    review_note: r.review.note,
    photos: r.photos.map((p) => `${base}${p.url}`).join(' ') || null,
  };
}

export async function exportFieldReports(db: Kysely<Database>, actor: Actor, q: { format: 'geojson' | 'csv' | 'gpkg'; status?: 'pending' | 'accepted' | 'rejected' | undefined }, base: string): Promise<{ type: string; name: string; body: string | Uint8Array }> {
  const { reports } = await fieldReports(db, actor, { status: q.status }, { limit: MAX_EXPORT_REPORTS, offset: 0 });
  const rows = reports.map((r) => flat(r, base));
  if (q.format === 'csv') return { type: 'text/csv; charset=utf-8', name: 'field-reports.csv', body: stringify(rows, { header: true, columns: Object.keys(flat(EMPTY, base)) }) };
  if (q.format === 'gpkg') {
    const body = await writeGeoPackage('field_reports', 'POINT', rows.map((p) => ({ wkb: pointWkb(p.lon as number, p.lat as number), bbox: [p.lon as number, p.lat as number, p.lon as number, p.lat as number], properties: p })));
    return { type: 'application/geopackage+sqlite3', name: 'field-reports.gpkg', body };
  }
  const features = reports.map((r, i) => ({ type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [r.position.lon, r.position.lat] }, properties: { ...rows[i], outline: r.outline } }));
  return { type: 'application/geo+json', name: 'field-reports.geojson', body: JSON.stringify({ type: 'FeatureCollection', features }) };
}

// The column list of an export with no rows (a CSV keeps its header).
const EMPTY: FieldReport = {
  id: '', kind: 'alert', agency: '', alert: null, result: null, cause: null, outline: null, outline_ha: null, notes: '', site: null, observations: '', measurements: [],
  position: { lon: 0, lat: 0, accuracy_m: 0 }, observed_at: '', received_at: '', photo_count: 0, author: null, review: { status: 'pending', by: null, at: null, note: null }, photos: [],
};
