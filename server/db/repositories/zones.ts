// SQL pieces for the zones analyses count over, shared so every stored or computed zone is made
// the same way (the statistics, the trends and the indicators must agree on what "5 km" is).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema';
import type { SpatialDefinition } from '../../api';
import { asGeoJson, geodesicAreaHa } from '../postgis';

/** A buffer of `metres` around a geometry, through geography so metres are metres at every latitude. */
export function geodesicBuffer(geom: RawBuilder<unknown>, metres: number): RawBuilder<unknown> {
  return sql`ST_Buffer((${geom})::geography, ${metres}, 'quad_segs=16')::geometry`;
}

/** The distinct areas of one kind linked to an activity's sites (id, geom), optionally with attribute = value. */
export function linkedAreasOf(activityId: number, kind: string, filter?: { property: string; equals: string }): RawBuilder<{ id: number; geom: string }> {
  return sql<{ id: number; geom: string }>`SELECT DISTINCT ar.id, ar.geom FROM link l JOIN site s ON s.id = l.site_id JOIN area ar ON ar.id = l.area_id
    WHERE s.activity_id = ${activityId} AND ar.kind = ${kind}${filter ? sql` AND ar.properties ->> ${filter.property} = ${filter.equals}` : sql``}`;
}

/** The zones of a trend: GeoJSON text of the buffer and the ring, and the activity's start. */
export interface TrendZones {
  buffer: string | null;
  ring: string | null;
  startDate: string | null;
}

/**
 * The buffer (0-D) around the subject's sites and the comparison ring (D-2D) with every site's
 * buffer cut out, its own and other activities' alike, so the ring holds no intervention. The
 * bbox prefilter widens D to degrees generously (1 degree is over 100 km of longitude in Peru);
 * the exact test is geodesic.
 */
export async function trendZones(db: Kysely<Database>, subject: 'site' | 'activity', id: number, distanceM: number): Promise<TrendZones | undefined> {
  const own = subject === 'site' ? sql`id = ${id}` : sql`activity_id = ${id}`;
  const start =
    subject === 'site'
      ? sql<string | null>`(SELECT a.start_date::text FROM site s JOIN activity a ON a.id = s.activity_id WHERE s.id = ${id})`
      : sql<string | null>`(SELECT start_date::text FROM activity WHERE id = ${id})`;
  const row = (
    await sql<{ buffer: string | null; ring: string | null; start_date: string | null; found: boolean }>`
      WITH own AS (SELECT geom FROM site WHERE ${own}),
      inner_zone AS (SELECT ST_Union(${geodesicBuffer(sql`geom`, distanceM)}) AS g FROM own),
      outer_zone AS (SELECT ST_Union(${geodesicBuffer(sql`geom`, 2 * distanceM)}) AS g FROM own),
      others AS (
        SELECT ST_Union(${geodesicBuffer(sql`t.geom`, distanceM)}) AS g
        FROM site t, outer_zone o
        WHERE t.geom && ST_Expand(o.g, ${distanceM / 50_000}) AND ST_DWithin(t.geom::geography, o.g::geography, ${distanceM}))
      SELECT ${asGeoJson(sql`i.g`, 9)} AS buffer,
        ${asGeoJson(sql`ST_CollectionExtract(ST_Difference(o.g, coalesce(x.g, i.g)), 3)`, 9)} AS ring,
        ${start} AS start_date,
        ${subject === 'site' ? sql`EXISTS (SELECT 1 FROM site WHERE id = ${id})` : sql`EXISTS (SELECT 1 FROM activity WHERE id = ${id})`} AS found
      FROM inner_zone i, outer_zone o, others x`.execute(db)
  ).rows[0];
  if (!row?.found) return undefined;
  return { buffer: row.buffer, ring: row.ring, startDate: row.start_date };
}

/** The polygon a loss metric counts over (GeoJSON text), with an md5 of it so a moved site changes the inputs. */
export async function lossZone(
  db: Kysely<Database>,
  activityId: number,
  def: Exclude<SpatialDefinition, { metric: 'linked_area' }>,
): Promise<{ geojson: string | null; md5: string | null; areaIds?: number[] }> {
  const zone =
    def.metric === 'loss_near_sites'
      ? sql`SELECT ST_Union(${geodesicBuffer(sql`geom`, def.distance_m)}) AS g, NULL::int[] AS ids FROM site WHERE activity_id = ${activityId}`
      : sql`SELECT ST_Union(geom) AS g, array_agg(id ORDER BY id) AS ids FROM (${linkedAreasOf(activityId, def.area_kind)}) a`;
  const r = (await sql<{ g: string | null; md5: string | null; ids: number[] | null }>`
    WITH z AS (${zone}) SELECT ${asGeoJson(sql`g`, 9)} AS g, md5(ST_AsEWKB(g)::text) AS md5, ids FROM z`.execute(db)).rows[0];
  return { geojson: r?.g ?? null, md5: r?.md5 ?? null, ...(def.metric === 'loss_in_linked_areas' ? { areaIds: r?.ids ?? [] } : {}) };
}

/** The union of the areas of one kind linked to an activity: geodesic hectares (overlaps once), ids, md5. */
export async function linkedAreaUnion(db: Kysely<Database>, activityId: number, kind: string, filter?: { property: string; equals: string }): Promise<{ ha: number | null; ids: number[] | null; md5: string | null } | undefined> {
  return (await sql<{ ha: number | null; ids: number[] | null; md5: string | null }>`
      WITH z AS (SELECT ST_Union(geom) AS g, array_agg(id ORDER BY id) AS ids FROM (${linkedAreasOf(activityId, kind, filter)}) a)
      SELECT ${geodesicAreaHa(sql`g`)} AS ha, ids, md5(ST_AsEWKB(g)::text) AS md5 FROM z`.execute(db)).rows[0];
}
