// SQL pieces for the zones analyses count over, shared so every stored or computed zone is made
// the same way (the statistics, the trends and the indicators must agree on what "5 km" is).
import { sql, type RawBuilder } from 'kysely';

/** A buffer of `metres` around a geometry, through geography so metres are metres at every latitude. */
export function geodesicBuffer(geom: RawBuilder<unknown>, metres: number): RawBuilder<unknown> {
  return sql`ST_Buffer((${geom})::geography, ${metres}, 'quad_segs=16')::geometry`;
}

/** The distinct areas of one kind linked to an activity's sites (id, geom), optionally with attribute = value. */
export function linkedAreasOf(activityId: number, kind: string, filter?: { property: string; equals: string }): RawBuilder<{ id: number; geom: string }> {
  return sql<{ id: number; geom: string }>`SELECT DISTINCT ar.id, ar.geom FROM link l JOIN site s ON s.id = l.site_id JOIN area ar ON ar.id = l.area_id
    WHERE s.activity_id = ${activityId} AND ar.kind = ${kind}${filter ? sql` AND ar.properties ->> ${filter.property} = ${filter.equals}` : sql``}`;
}
