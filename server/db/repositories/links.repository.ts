import { sql, type Kysely, type Transaction } from 'kysely';
import type { MatrixQuery } from '../../api';
import type { Database } from '../schema';

export interface SiteLinkRow {
  area_id: number;
  kind: string;
  area_name: string;
  countries: unknown;
  site_id: number;
  site_name: string;
  relation: string;
  overlap_ha: number | null;
  share_of_site: number | null;
  distance_m: number;
  in_peru: boolean;
}

/** Every link of every site of the activity, with whether the site lies in Peru; empty when none. */
export async function listActivitySiteLinks(db: Kysely<Database>, activityId: number): Promise<SiteLinkRow[]> {
  const { rows } = await sql<SiteLinkRow>`
    SELECT a.id AS area_id, a.kind, a.name AS area_name, a.properties->'countries' AS countries,
      s.id AS site_id, s.name AS site_name, l.relation, l.overlap_ha, l.share_of_site, l.distance_m,
      EXISTS (SELECT 1 FROM country_boundary c WHERE c.iso3 = 'PER' AND ST_Intersects(c.geom, s.geom)) AS in_peru
    FROM link l JOIN site s ON s.id = l.site_id JOIN area a ON a.id = l.area_id
    WHERE s.activity_id = ${activityId}
    ORDER BY a.kind, a.name, a.id, s.id`.execute(db);
  return rows;
}

export interface AreaActivityRow {
  activity_id: number;
  code: string;
  title: string;
  priority_area_code: string;
  status: string;
  relation_rank: number;
  overlap_ha: number | null;
  distance_m: number;
  site_count: number;
}

const relationRank = sql`CASE l.relation WHEN 'inside' THEN 1 WHEN 'overlaps' THEN 2 ELSE 3 END`;

/** Activities with a site linked to the area, strongest relation first; empty when none. */
export async function listAreaActivities(db: Kysely<Database>, areaId: number): Promise<AreaActivityRow[]> {
  const { rows } = await sql<AreaActivityRow>`
    SELECT x.id AS activity_id, x.code, x.title, x.priority_area_code, x.status,
      min(${relationRank})::int AS relation_rank, sum(l.overlap_ha) AS overlap_ha, min(l.distance_m) AS distance_m,
      count(*)::int AS site_count
    FROM link l JOIN site s ON s.id = l.site_id JOIN activity x ON x.id = s.activity_id
    WHERE l.area_id = ${areaId}
    GROUP BY x.id ORDER BY relation_rank, x.code`.execute(db);
  return rows;
}

export interface MatrixRow {
  row_code: string;
  kind: string;
  activities: number;
  sites: number;
  overlap_ha: number;
}

function activityFilter(q: Omit<MatrixQuery, 'rows' | 'format'>) {
  return sql.join(
    [
      // The matrix is public: drafts never count.
      sql`x.published`,
      ...(q.status ? [sql`x.status = ${q.status}`] : []),
      ...(q.fundingStatus ? [sql`x.funding_status = ${q.fundingStatus}`] : []),
      ...(q.goal ? [sql`EXISTS (SELECT 1 FROM activity_goal g WHERE g.activity_id = x.id AND g.goal_code = ${q.goal})`] : []),
      // Active at some time in the range: started before its end and not ended before its start.
      ...(q.to ? [sql`(x.start_date IS NULL OR x.start_date <= ${q.to}::date)`] : []),
      ...(q.from ? [sql`(x.end_date IS NULL OR x.end_date >= ${q.from}::date)`] : []),
    ],
    sql` AND `,
  );
}

function rowKey(rows: MatrixQuery['rows']) {
  return rows === 'priorityArea'
    ? { join: sql``, code: sql`x.priority_area_code` }
    : { join: sql`JOIN activity_action_area aa ON aa.activity_id = x.id`, code: sql`aa.action_area_code` };
}

/** Counts of activities, sites and overlap hectares per (priority or action area, area kind). */
export async function matrixCounts(db: Kysely<Database>, q: MatrixQuery): Promise<MatrixRow[]> {
  const key = rowKey(q.rows);
  const { rows } = await sql<MatrixRow>`
    SELECT ${key.code} AS row_code, a.kind, count(DISTINCT x.id)::int AS activities, count(DISTINCT s.id)::int AS sites,
      coalesce(sum(l.overlap_ha), 0) AS overlap_ha
    FROM link l JOIN site s ON s.id = l.site_id JOIN activity x ON x.id = s.activity_id JOIN area a ON a.id = l.area_id
    ${key.join}
    WHERE ${activityFilter(q)}
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return rows;
}

/** The activities behind one matrix cell, with their sites linked to areas of that kind. */
export async function matrixCellActivities(
  db: Kysely<Database>,
  q: MatrixQuery & { row: string; kind: string },
): Promise<{ activity_id: number; code: string; title: string; status: string; sites: number; areas: number; overlap_ha: number }[]> {
  const key = rowKey(q.rows);
  const { rows } = await sql<{ activity_id: number; code: string; title: string; status: string; sites: number; areas: number; overlap_ha: number }>`
    SELECT x.id AS activity_id, x.code, x.title, x.status, count(DISTINCT s.id)::int AS sites, count(DISTINCT a.id)::int AS areas,
      coalesce(sum(l.overlap_ha), 0) AS overlap_ha
    FROM link l JOIN site s ON s.id = l.site_id JOIN activity x ON x.id = s.activity_id JOIN area a ON a.id = l.area_id
    ${key.join}
    WHERE ${activityFilter(q)} AND ${key.code} = ${q.row} AND a.kind = ${q.kind}
    GROUP BY x.id ORDER BY x.code`.execute(db);
  return rows;
}

/** Which of the given area kinds each activity's sites are linked to, with whether the activity is published. */
export async function activityLinkedKinds<K extends string>(db: Kysely<Database> | Transaction<Database>, kinds: readonly K[]): Promise<{ activity_id: number; kind: K; published: boolean }[]> {
  return (await sql<{ activity_id: number; kind: K; published: boolean }>`
      SELECT DISTINCT s.activity_id, ar.kind, act.published FROM link l JOIN site s ON s.id = l.site_id JOIN area ar ON ar.id = l.area_id
      JOIN activity act ON act.id = s.activity_id WHERE ar.kind = ANY(${kinds}::text[]) ORDER BY 1, 2`.execute(db)).rows;
}
