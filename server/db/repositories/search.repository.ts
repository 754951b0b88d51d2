import { sql, type Kysely } from 'kysely';
import type { SearchHit, SearchQuery } from '../../api';
import type { Database } from '../schema';

// Accent- and case-insensitive matching without the unaccent extension (the embedded PostGIS has no
// contrib modules): both sides go through the same lower() + translate() of Spanish letters.
const FOLD_FROM = 'áéíóúüñàèìòùâêîôû';
const FOLD_TO = 'aeiouunaeiouaeiou';
const fold = (expr: ReturnType<typeof sql>) => sql`translate(lower(${expr}), ${FOLD_FROM}, ${FOLD_TO})`;

/**
 * Published activities (by code or title), their sites and areas whose name or source id contains
 * the text; names that start with it first, then shorter names. Drafts never show.
 */
export async function searchEverything(db: Kysely<Database>, query: SearchQuery): Promise<SearchHit[]> {
  const needle = query.q.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  const like = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const prefix = `${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const box = (g: string) => sql.raw(`json_build_array(ST_XMin(${g}), ST_YMin(${g}), ST_XMax(${g}), ST_YMax(${g}))`);
  const rows = await sql<{ type: SearchHit['type']; id: number; label: string; detail: string; bbox: [number, number, number, number] | string; starts: boolean }>`
    WITH activities AS (
      SELECT 'activity' AS type, t.id, t.code || ' ' || t.title AS label, t.priority_area_code AS detail,
             ${box('e.box')} AS bbox, ${fold(sql`t.code`)} LIKE ${prefix} OR ${fold(sql`t.title`)} LIKE ${prefix} AS starts
      FROM activity t
      CROSS JOIN LATERAL (SELECT ST_Extent(s.geom)::geometry AS box FROM site s WHERE s.activity_id = t.id) e
      WHERE t.published AND e.box IS NOT NULL AND (${fold(sql`t.code`)} LIKE ${like} OR ${fold(sql`t.title`)} LIKE ${like})
      ORDER BY starts DESC, length(t.title) LIMIT ${query.limit}),
    sites AS (
      SELECT 'site' AS type, s.id, s.name AS label, t.code AS detail, ${box('s.geom')} AS bbox, ${fold(sql`s.name`)} LIKE ${prefix} AS starts
      FROM site s JOIN activity t ON t.id = s.activity_id
      WHERE t.published AND ${fold(sql`s.name`)} LIKE ${like}
      ORDER BY starts DESC, length(s.name) LIMIT ${query.limit}),
    areas AS (
      SELECT 'area' AS type, a.id, a.name AS label, a.kind AS detail, ${box('a.geom')} AS bbox,
             ${fold(sql`a.name`)} LIKE ${prefix} AS starts
      FROM area a
      WHERE ${fold(sql`a.name`)} LIKE ${like} OR lower(a.source_id) = ${needle}
      ORDER BY starts DESC, length(a.name) LIMIT ${query.limit})
    SELECT * FROM (SELECT * FROM activities UNION ALL SELECT * FROM sites UNION ALL SELECT * FROM areas) hits
    ORDER BY starts DESC, length(label) LIMIT ${query.limit}`.execute(db);
  return rows.rows.map((r) => ({
    type: r.type,
    id: Number(r.id),
    label: r.label,
    detail: r.detail,
    bbox: (typeof r.bbox === 'string' ? JSON.parse(r.bbox) : r.bbox) as [number, number, number, number],
  }));
}
