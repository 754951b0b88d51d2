// Alerts published as points or polygons (GeoBosques), counted in a zone: per day, the alerts that
// touch it (a point inside, a polygon intersecting), and for polygons the hectares of their part
// inside (geodesic). Points have no area: their hectares are null, never 0.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export interface VectorAlertDay {
  date: string;
  alerts: number;
  polygons: number;
  /** Hectares of the polygons' parts inside; null when the day has only points. */
  ha: number | null;
}

/** Per day; at most `limit` + 1 alerts are read (more: the caller refuses). */
export async function vectorAlertsInZone(db: Kysely<Database>, layer: string, zoneWkb: Uint8Array, from: string, to: string, limit: number): Promise<VectorAlertDay[]> {
  const hex = Buffer.from(zoneWkb).toString('hex');
  const rows = (
    await sql<{ date: string; alerts: number; polygons: number; ha: number | null }>`
      WITH z AS MATERIALIZED (SELECT ST_SetSRID(ST_GeomFromWKB(decode(${hex}, 'hex')), 4326) AS g),
      hits AS (SELECT a.alert_date, a.geom, a.area_ha FROM vector_alert a, z
        WHERE a.layer = ${layer} AND a.alert_date BETWEEN ${from}::date AND ${to}::date AND a.geom && z.g AND ST_Intersects(a.geom, z.g)
        LIMIT ${limit + 1})
      SELECT h.alert_date::text AS date, count(*)::int AS alerts,
        count(*) FILTER (WHERE GeometryType(h.geom) IN ('POLYGON', 'MULTIPOLYGON'))::int AS polygons,
        sum(CASE WHEN GeometryType(h.geom) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN NULL
                 WHEN ST_Within(h.geom, z.g) THEN h.area_ha
                 ELSE ST_Area(ST_Intersection(h.geom, z.g)::geography) / 10000 END) AS ha
      FROM hits h, z GROUP BY h.alert_date ORDER BY h.alert_date`.execute(db)
  ).rows;
  return rows.map((r) => ({ date: r.date, alerts: r.alerts, polygons: r.polygons, ha: r.ha === null ? null : Number(r.ha) }));
}

export async function findVectorAlertLayer(db: Kysely<Database>, name: string) {
  return db.selectFrom('vector_alert_layer').select(['name', 'source', 'attribution', 'licence', 'loaded_at']).where('name', '=', name).executeTakeFirst();
}
