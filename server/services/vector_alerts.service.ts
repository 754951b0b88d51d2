// Alerts published as points or polygons (GeoBosques, MINAM/PNCB): read from any format the
// importer reads (a zipped shapefile as published, GeoJSON, GeoPackage), each feature checked (a
// date, not after today; a geometry of bounded size; longitude/latitude after reprojection), then a
// layer's alerts replaced whole in one transaction. A bad file names the file and the feature and
// changes nothing.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { BadRequestError } from '../errors';
import { openFeatureSource } from '../import/open_source';
import { vertexCountOf } from '../import/vertex_count';
import type { RawFeature } from '../import/types';
import { alertDateOf, dateField, ubigeoField } from '../alerts/geobosques_fields';
import { dateOfDay, today } from '../alerts/alert_encoding';
import { NotFoundError } from '../errors';
import { findVectorAlertLayer, vectorAlertsInZone } from '../db/repositories/vector_alerts.repository';
import type { StatSubject } from '../db/repositories/loss_statistics.repository';
import { subjectZoneWkb } from './alerts.service';
import type { VectorAlertAnswer } from '../api';

export const GEOBOSQUES_ABOUT = { attribution: 'MINAM, Programa Nacional de Conservación de Bosques (GeoBosques)', licence: 'Datos abiertos del Estado peruano (MINAM, PNCB)' };
/** Bounds on one file: alerts of a year for all Peru are tens of thousands; a polygon a few hundred vertices. */
const MAX_ALERTS = 500_000;
const MAX_VERTICES = 10_000;

export interface VectorAlertReport {
  name: string;
  alerts: number;
  firstDate: string | null;
  lastDate: string | null;
}

export async function addVectorAlerts(db: Kysely<Database>, file: string, options: { name: string; fileName?: string; now?: number; attribution?: string; licence?: string }): Promise<VectorAlertReport> {
  if (!/^[a-z0-9][a-z0-9_]{0,62}$/.test(options.name)) throw new BadRequestError(`Layer name "${options.name}": use lower-case letters, digits and _ (at most 63).`);
  const display = options.fileName ?? path.basename(file);
  const fail = (why: string) => new BadRequestError(`${display}: ${why} Nothing was changed.`);
  const source = await openFeatureSource(db, file, { fileName: display, encoding: 'latin1' });
  const rows: { id: string; date: string; ubigeo: string | null; props: string; kind: string; text: string }[] = [];
  const last = dateOfDay(today(options.now));
  try {
    // The fields: as the format lists them, else (a shapefile) as the first feature has them.
    let df: string | undefined;
    let uf: string | undefined;
    for await (const f of source.features as AsyncIterable<RawFeature>) {
      if (!df) {
        const fields = source.fields?.length ? source.fields : Object.keys(f.properties);
        df = dateField(fields);
        if (!df) throw fail(`no alert date field (fecha_alerta, or Fecha in the yearly shapefiles) among ${fields.join(', ') || 'its fields'}.`);
        uf = ubigeoField(fields);
      }
      if (rows.length >= MAX_ALERTS) throw fail(`more than ${MAX_ALERTS} alerts; split the file by year or region.`);
      if (!f.geometry) throw fail(`feature ${f.index} has no geometry.`);
      if (vertexCountOf(f.geometry) > MAX_VERTICES) throw fail(`feature ${f.index} has more than ${MAX_VERTICES} vertices; an alert is a point or a small polygon.`);
      const date = alertDateOf(f.properties[df]);
      if (!date) throw fail(`feature ${f.index} has no readable date in ${df} (${JSON.stringify(f.properties[df])}).`);
      if (date > last) throw fail(`feature ${f.index} is dated ${date}, after today (${last}).`);
      if (date < '2000-01-01') throw fail(`feature ${f.index} is dated ${date}, before any alert system.`);
      const g = f.geometry;
      rows.push({ id: String(f.id ?? f.index), date, ubigeo: uf && f.properties[uf] != null ? String(f.properties[uf]) : null, props: JSON.stringify(f.properties), kind: g.kind, text: g.kind === 'wkb' ? g.hex : g.text });
    }
  } finally {
    await source.close();
  }
  const srid = source.srid;
  const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  await db.transaction().execute(async (tx) => {
    const about = { source: 'geobosques', attribution: options.attribution ?? GEOBOSQUES_ABOUT.attribution, licence: options.licence ?? GEOBOSQUES_ABOUT.licence, file_name: display, sha256, loaded_at: sql<Date>`now()` };
    await tx.insertInto('vector_alert_layer').values({ name: options.name, ...about }).onConflict((oc) => oc.column('name').doUpdateSet(about)).execute();
    await tx.deleteFrom('vector_alert').where('layer', '=', options.name).execute();
    for (let i = 0; i < rows.length; i += 500) {
      const values = sql.join(rows.slice(i, i + 500).map((r) => sql`(${r.id}, ${r.date}::date, ${r.ubigeo}, ${r.props}::jsonb, ${r.kind}, ${r.text})`));
      const parsed = sql`CASE gkind WHEN 'geojson' THEN ST_GeomFromGeoJSON(gtext) WHEN 'wkb' THEN ST_GeomFromWKB(decode(gtext, 'hex')) ELSE ST_GeomFromText(gtext) END`;
      const projected = srid === 4326 ? sql`ST_SetSRID(ST_Force2D(${parsed}), 4326)` : sql`ST_Transform(ST_SetSRID(ST_Force2D(${parsed}), ${srid}::int), 4326)`;
      await sql`WITH input (source_id, alert_date, ubigeo, props, gkind, gtext) AS (VALUES ${values}),
        g AS (SELECT source_id, alert_date, ubigeo, props, ${projected} AS g FROM input)
        INSERT INTO vector_alert (layer, source_id, alert_date, ubigeo, properties, geom, area_ha)
        SELECT ${options.name}, source_id, alert_date, ubigeo, props, CASE WHEN ST_IsValid(g) THEN g ELSE ST_MakeValid(g) END,
          CASE WHEN GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON') THEN ST_Area(g::geography) / 10000 END
        FROM g`.execute(tx);
    }
    const bad = (await sql<{ source_id: string }>`SELECT source_id FROM vector_alert WHERE layer = ${options.name} AND (ST_XMin(geom) < -180 OR ST_XMax(geom) > 180 OR ST_YMin(geom) < -90 OR ST_YMax(geom) > 90) LIMIT 1`.execute(tx)).rows[0];
    if (bad) throw fail(`alert ${bad.source_id} lies outside longitude/latitude after reprojection from EPSG:${srid}; the coordinate system is wrong or missing (.prj).`);
  });
  const dates = rows.map((r) => r.date).sort();
  return { name: options.name, alerts: rows.length, firstDate: dates[0] ?? null, lastDate: dates.at(-1) ?? null };
}

export async function listVectorAlertLayers(db: Kysely<Database>) {
  const rows = (
    await sql<{ name: string; attribution: string; licence: string; alerts: number; first: string | null; last: string | null }>`
      SELECT l.name, l.attribution, l.licence, count(a.id)::int AS alerts, min(a.alert_date)::text AS first, max(a.alert_date)::text AS last
      FROM vector_alert_layer l LEFT JOIN vector_alert a ON a.layer = l.name GROUP BY l.name ORDER BY l.name`.execute(db)
  ).rows;
  return rows.map((r) => ({ name: r.name, attribution: r.attribution, licence: r.licence, alerts: r.alerts, first_date: r.first, last_date: r.last, collection: `alerts_${r.name}` }));
}

/** Most alerts one request counts: a department's year of GeoBosques alerts is a few thousand. */
export const MAX_ZONE_VECTOR_ALERTS = 50_000;
export const VECTOR_ALERT_RULE = 'a point alert inside the zone, a polygon alert intersecting it; hectares of the polygons\' parts inside (geodesic, WGS84); points have no area';

/** The point and polygon alerts of an area, a site's buffer or an activity's sites, per day. */
export async function vectorAlertsForSubject(db: Kysely<Database>, subject: StatSubject, id: number, q: { layer: string; from: string; to: string; bufferM: number }): Promise<VectorAlertAnswer> {
  const layer = await findVectorAlertLayer(db, q.layer);
  if (!layer) throw new NotFoundError(`No point or polygon alert layer "${q.layer}". List them at /api/alerts/vector-layers.`);
  if (q.from > q.to) throw new BadRequestError(`from (${q.from}) is after to (${q.to}).`);
  const zone = await subjectZoneWkb(db, subject, id, q.bufferM, 'count the alerts');
  const days = await vectorAlertsInZone(db, q.layer, zone, q.from, q.to, MAX_ZONE_VECTOR_ALERTS);
  const total = days.reduce((a, d) => a + d.alerts, 0);
  if (total > MAX_ZONE_VECTOR_ALERTS) throw new BadRequestError(`More than ${MAX_ZONE_VECTOR_ALERTS} alerts of ${q.layer} in this ${subject} between ${q.from} and ${q.to}: choose fewer dates.`);
  const polygons = days.reduce((a, d) => a + d.polygons, 0);
  const ha = days.some((d) => d.ha !== null) ? Math.round(days.reduce((a, d) => a + (d.ha ?? 0), 0) * 10_000) / 10_000 : null;
  return {
    total_alerts: total,
    polygons,
    total_ha: ha,
    days: days.map((d) => ({ ...d, ha: d.ha === null ? null : Math.round(d.ha * 10_000) / 10_000 })),
    provenance: { layer: layer.name, source: layer.source, attribution: layer.attribution, licence: layer.licence, loaded_at: layer.loaded_at.toISOString(), from: q.from, to: q.to, buffer_m: q.bufferM || null, rule: VECTOR_ALERT_RULE, computed_at: new Date().toISOString() },
  };
}
